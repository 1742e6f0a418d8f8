import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { collabClient } from '$lib/server/db/schema';
import { ClientOwners, type Owner } from './update-guard';

// Durable ownership of client ids (`collab_client`): read once when a document loads, written in
// the group commit's own statement, so an update and the ownership it claims are stored together
// or not at all. Compaction never touches these rows.

/** Client ids one log entry claims for its writer (`userId` null: the server). */
export interface Claim {
	docName: string;
	userId: Owner;
	clientIds: number[];
}

/** The owners of a document's client ids, as stored. */
export async function load(db: Db, docName: string): Promise<ClientOwners> {
	const rows = await db
		.select({ clientId: collabClient.clientId, userId: collabClient.userId })
		.from(collabClient)
		.where(eq(collabClient.docName, docName));
	return new ClientOwners(rows);
}

/** The claims of a batch as one JSON parameter (`[{ d, c, u }]`), empty when none claims anything. */
function claimRows(claims: Claim[]): { d: string; c: number; u: Owner }[] {
	return claims.flatMap(({ docName, userId, clientIds }) =>
		clientIds.map((c) => ({ d: docName, c, u: userId }))
	);
}

/**
 * A data-modifying CTE for the commit statement (`with logged as (…), touched as (…), <this>
 * select …`): inserts the claims; one already stored (the same claim logged again after a retry)
 * is left as it is.
 */
export function insertClaims(claims: Claim[]): SQL {
	return sql`claimed as (
		insert into collab_client (doc_name, client_id, user_id)
		select d, c, u from jsonb_to_recordset(${JSON.stringify(claimRows(claims))}::jsonb) as z(d text, c bigint, u text)
		on conflict do nothing
	)`;
}

/** Stores claims on their own (the server's id, tests); the commit uses `insertClaims` instead. */
export async function save(db: Db, claims: Claim[]): Promise<void> {
	if (claimRows(claims).length === 0) return;
	await db.execute(sql`with ${insertClaims(claims)} select 1`);
}
