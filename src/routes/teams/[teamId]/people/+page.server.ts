import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

/** The team's people (from the database) and their absences (from the team board document, live). */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const members = await teams.members(db, teamId);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		people: members.map((p) => ({
			id: p.userId,
			name: p.name,
			profession: p.profession,
			employment: p.employment,
			contractMinutes: p.contractMinutes
		}))
	};
};
