import { requireUser } from '$lib/server/auth/guard';
import { collabServer } from '$lib/server/collab/instance';
import { db } from '$lib/server/db';
import { dashboard } from '$lib/server/health';
import type { PageServerLoad } from './$types';

/** The coach's dashboard: only the teams where this user's coaching is active, figures only. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	return { rows: await dashboard(db, user.id, { documents: collabServer() }) };
};
