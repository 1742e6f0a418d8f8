import { and, desc, eq } from 'drizzle-orm';
import { groupHistory, type HistoryLine } from '$lib/domain/card-history';
import type { Db } from '$lib/server/db';
import { collabChange } from '$lib/server/db/schema';

export const caseloadDoc = (teamId: string) => `team/${teamId}/caseload`;

/** The card's history, read from the change index the collab server writes with each logged update. */
export async function forClient(
	db: Db,
	teamId: string,
	clientId: string,
	limit = 2_000
): Promise<HistoryLine[]> {
	const rows = await db
		.select({ userId: collabChange.userId, field: collabChange.field, at: collabChange.at })
		.from(collabChange)
		.where(
			and(
				eq(collabChange.docName, caseloadDoc(teamId)),
				eq(collabChange.entry, `clients/${clientId}`)
			)
		)
		.orderBy(desc(collabChange.at), desc(collabChange.seq))
		.limit(limit);
	return groupHistory(rows);
}
