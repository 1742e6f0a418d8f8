import { fail, redirect } from '@sveltejs/kit';
import { parseRoleForm } from '$lib/domain/role-form';
import { todayIn } from '$lib/domain/time-zone';
import { DAY_MS } from '$lib/domain/week';
import { changeSummary, changeTitle } from '$lib/i18n/team-change';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import * as roles from '$lib/server/governance/roles';
import * as teamChanges from '$lib/server/governance/team-changes';
import * as services from '$lib/server/services';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const [overview, members, changes] = await Promise.all([
		roles.overview(db, teamId, todayIn()),
		teams.members(db, teamId),
		teamChanges.pending(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		...overview,
		names: Object.fromEntries(members.map((p) => [p.userId, p.name])),
		// Role changes being decided (the team page lists the others).
		open: changes.open.filter((d) => d.kind.startsWith('role-'))
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
	},
	/** A holder steps down: their term ends today and the role opens for election. */
	stepDown: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const roleId = echo(await readForm(request), 'roleId', 64);
		const result = await roles.stepDown(db, { teamId, roleId, userId, today: todayIn() });
		if (!result.ok) return fail(400, { action: 'stepDown' as const, roleId, refused: true });
		redirect(303, `/teams/${teamId}/elections/${result.electionId}`);
	},
	/** Creating, editing or retiring a role is a decision of the team, by consent. */
	propose: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const { roles: list } = await roles.overview(db, teamId, todayIn());
		const nameOf = (id: string) => list.find((r) => r.id === id)?.name ?? null;
		const parsed = parseRoleForm(form, nameOf);
		const roleId = echo(form, 'roleId', 64);
		if (!parsed.ok) return fail(400, { action: 'propose' as const, roleId, field: parsed.field });
		const now = new Date();
		const title = changeTitle(parsed.change, () => '');
		const result = await teamChanges.propose(db, services.decisionMirror(), {
			teamId,
			proposerId: userId,
			title: title.slice(0, 120),
			driver: parsed.driver,
			text: changeSummary(parsed.change, () => '', 'fr'),
			reviewDate: todayIn(undefined, new Date(now.getTime() + 180 * DAY_MS)),
			mode: 'async',
			deadline: await teamChanges.asyncDeadline(db, teamId, now),
			change: parsed.change,
			now
		});
		if (!result.ok)
			return fail(400, { action: 'propose' as const, roleId, refusal: result.reason });
		redirect(303, `/teams/${teamId}/decisions/${result.decision.id}`);
	}
};
