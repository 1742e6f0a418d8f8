import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { lastVisitsOf } from '$lib/server/rota/rota';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

/**
 * The member's day. The visits, cards and notes come from the live documents in the browser (and
 * from this device's copy when offline); the server gives only who is in the team and, from the
 * read model, when the member last visited each client.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const [people, lastVisits] = await Promise.all([
		teams.members(db, teamId),
		lastVisitsOf(db, { teamId, userId })
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		members: people.map((p) => ({ id: p.userId, name: p.name })),
		lastVisits
	};
};
