import { memberTeam } from '$lib/server/auth/guard';
import * as accessLog from '$lib/server/caseload/access-log';
import { db } from '$lib/server/db';
import type { PageServerLoad } from './$types';

/** The team's trace of who opened which card (six months), readable by every member. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId } = memberTeam(locals);
	const entries = await accessLog.forTeam(db, teamId, 500);
	return {
		entries,
		clientNames: await accessLog.readClientNames(db, teamId, entries),
		retentionDays: accessLog.ACCESS_LOG_RETENTION_DAYS
	};
};
