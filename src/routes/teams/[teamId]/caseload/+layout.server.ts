import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { LayoutServerLoad } from './$types';

/** Shared by the caseload list and every client card. */
export const load: LayoutServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const members = await teams.members(db, teamId);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		members: members.map((m) => ({ id: m.userId, name: m.name, profession: m.profession }))
	};
};
