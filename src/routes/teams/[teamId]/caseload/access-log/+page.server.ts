import { inArray, and, eq } from 'drizzle-orm';
import { memberTeam } from '$lib/server/auth/guard';
import * as accessLog from '$lib/server/caseload/access-log';
import { db } from '$lib/server/db';
import { client } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

/** The team's trace of who opened which card (six months), readable by every member. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId } = memberTeam(locals);
	const entries = await accessLog.forTeam(db, teamId, 500);
	const ids = [...new Set(entries.flatMap((e) => (e.clientId === null ? [] : [e.clientId])))];
	const names =
		ids.length === 0
			? []
			: await db
					.select({ id: client.id, name: client.name })
					.from(client)
					.where(and(eq(client.teamId, teamId), inArray(client.id, ids)));
	return {
		entries,
		clientNames: Object.fromEntries(names.map((n) => [n.id, n.name])),
		retentionDays: accessLog.ACCESS_LOG_RETENTION_DAYS
	};
};
