import { and, eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { client } from '$lib/server/db/schema';

/**
 * A client's name from the caseload's read model, only within `teamId` (a card never names
 * another team's client); null when the read model does not know it (yet).
 */
export async function clientName(db: Db, teamId: string, clientId: string): Promise<string | null> {
	const [row] = await db
		.select({ name: client.name })
		.from(client)
		.where(and(eq(client.teamId, teamId), eq(client.id, clientId)))
		.limit(1);
	return row?.name ?? null;
}
