import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user === null) return { teams: null };
	return { teams: await teams.listForUser(db, locals.user.id) };
};
