import { and, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { clientsOf } from '$lib/collab/caseload';
import type { Db } from '$lib/server/db';
import { client, collabChange, visitPattern } from '$lib/server/db/schema';
import type { Projections } from '$lib/server/collab/projections';
import type { CollabServer } from '$lib/server/collab/server';
import { caseloadDoc } from './history';

/**
 * Erases a client (GDPR right to erasure): the card leaves the live document, whose log is compacted
 * at once so no stored update or snapshot still carries it; its change index and read-model rows go
 * too. The access trace keeps its rows (ids only, now pointing at nobody): the law asks for it.
 * The person's name, typed again (`confirmName`, any case), guards against a slip of the finger.
 */
export async function eraseClient(
	db: Db,
	parts: {
		collab: Pick<CollabServer, 'read' | 'erase'>;
		projection: Pick<Projections, 'refreshCaseload'>;
	},
	input: { teamId: string; clientId: string; confirmName: string }
): Promise<'erased' | 'missing' | 'mismatch'> {
	const { teamId, clientId } = input;
	const docName = caseloadDoc(teamId);
	const name = await parts.collab.read(docName, (doc) => {
		const card = clientsOf(doc).get(clientId);
		if (card === undefined) return null;
		const value = card instanceof Y.Map ? card.get('name') : null;
		return typeof value === 'string' ? value.trim() : '';
	});
	if (name === null) return 'missing';
	const fold = (s: string) => s.trim().toLocaleLowerCase('fr');
	if (fold(input.confirmName) !== fold(name)) return 'mismatch';
	await parts.collab.erase(docName, (doc) => clientsOf(doc).delete(clientId));
	await db.transaction(async (tx) => {
		await tx
			.delete(collabChange)
			.where(and(eq(collabChange.docName, docName), eq(collabChange.entry, `clients/${clientId}`)));
		await tx
			.delete(visitPattern)
			.where(and(eq(visitPattern.teamId, teamId), eq(visitPattern.clientId, clientId)));
		await tx.delete(client).where(and(eq(client.teamId, teamId), eq(client.id, clientId)));
	});
	await parts.projection.refreshCaseload(teamId);
	return 'erased';
}
