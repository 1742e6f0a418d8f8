import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as standards from '$lib/server/kaizen/standards';
import { lastVisitsOf } from '$lib/server/rota/rota';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

/**
 * The member's day. The visits, cards and notes come from the live documents in the browser (and
 * from this device's copy when offline); the server gives only who is in the team and, from the
 * read model, when the member last visited each client, and the titles of the team's care standards.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const [people, lastVisits, library] = await Promise.all([
		teams.members(db, teamId),
		lastVisitsOf(db, { teamId, userId }),
		standards.titles(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		members: people.map((p) => ({ id: p.userId, name: p.name })),
		lastVisits,
		// The care standards in force, for the visits whose client's care plan follows some.
		standards: library
	};
};
