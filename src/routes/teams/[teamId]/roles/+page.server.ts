import { fail, redirect } from '@sveltejs/kit';
import { todayIn } from '$lib/domain/time-zone';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import * as roles from '$lib/server/governance/roles';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName } = memberTeam(locals);
	const [overview, members] = await Promise.all([
		roles.overview(db, teamId, todayIn()),
		teams.members(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		...overview,
		names: Object.fromEntries(members.map((p) => [p.userId, p.name]))
	};
};

export const actions: Actions = {
	templates: async ({ locals }) => {
		const { teamId } = memberTeam(locals);
		return { added: await roles.addTemplates(db, teamId) };
	},
	elect: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const roleId = echo(await readForm(request), 'roleId', 64);
		const electionId = await roles.startElection(db, { teamId, roleId, convenerId: userId });
		if (electionId === null) return fail(400, { missing: true });
		redirect(303, `/teams/${teamId}/elections/${electionId}`);
	}
};
