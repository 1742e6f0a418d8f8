import { db } from '$lib/server/db';
import { closeDueForCoach } from '$lib/server/governance/deadlines';
import * as services from '$lib/server/services';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user === null) return { teams: null };
	// A coach's pending access may hang on a round whose deadline passed.
	await closeDueForCoach(db, services.decisionMirror(), { userId: locals.user.id });
	return { teams: await teams.listForUser(db, locals.user.id) };
};
