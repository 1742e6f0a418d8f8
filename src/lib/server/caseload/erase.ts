import { and, eq, inArray, like, or } from 'drizzle-orm';
import * as Y from 'yjs';
import { clientsOf, dropReads } from '$lib/collab/caseload';
import { visitsMap } from '$lib/collab/rota';
import type { Db } from '$lib/server/db';
import { indexableKey } from '$lib/server/db/storable';
import {
	client,
	collabChange,
	collabSnapshot,
	collabUpdate,
	rotaTake,
	rotaVisit,
	visitPattern
} from '$lib/server/db/schema';
import type { Projections } from '$lib/server/collab/projections';
import type { CollabServer } from '$lib/server/collab/server';
import { caseloadDoc } from './history';

/**
 * Erases a client (GDPR right to erasure): the card leaves the live document, whose log is compacted
 * at once so no stored update or snapshot still carries it; so do the client's visits in every rota
 * week of the team (hence from `rota_visit` and the members' calendar feeds); its change index and
 * read-model rows go too, and the claims on its visits (`rota_take`). The access trace keeps its rows (ids only, now pointing at nobody): the law asks for it.
 * The person's name, typed again (`confirmName`, any case), guards against a slip of the finger.
 */
export async function eraseClient(
	db: Db,
	parts: {
		collab: Pick<CollabServer, 'read' | 'erase'>;
		projection: Pick<Projections, 'refreshCaseload' | 'refresh'>;
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
	await parts.collab.erase(docName, (doc) => {
		clientsOf(doc).delete(clientId);
		dropReads(doc, clientId);
	});
	const { weeks, visitIds } = await eraseVisits(db, parts.collab, { teamId, clientId });
	// The tables hold ids as Postgres can (storable.ts): a card's id is whatever a member gave it.
	const key = indexableKey(clientId);
	const projected = await db
		.select({ id: rotaVisit.id })
		.from(rotaVisit)
		.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.clientId, key)));
	const takes = [
		...new Set([...visitIds.map((id) => indexableKey(id)), ...projected.map((r) => r.id)])
	];
	await db.transaction(async (tx) => {
		// Who took the client's visits: the visits are gone, so are the claims on them.
		if (takes.length > 0)
			await tx
				.delete(rotaTake)
				.where(and(eq(rotaTake.teamId, teamId), inArray(rotaTake.visitId, takes)));
		await tx
			.delete(collabChange)
			.where(
				and(
					eq(collabChange.docName, docName),
					or(
						eq(collabChange.entry, `clients/${key}`),
						like(collabChange.entry, `reads/${key.replace(/[\\%_]/g, '\\$&')}:%`)
					)
				)
			);
		await tx
			.delete(visitPattern)
			.where(and(eq(visitPattern.teamId, teamId), eq(visitPattern.clientId, key)));
		await tx
			.delete(rotaVisit)
			.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.clientId, key)));
		await tx.delete(client).where(and(eq(client.teamId, teamId), eq(client.id, key)));
	});
	await parts.projection.refreshCaseload(teamId);
	await Promise.all(weeks.map((week) => parts.projection.refresh(week)));
	return 'erased';
}

const visitOf = (raw: unknown, clientId: string) =>
	typeof raw === 'object' && raw !== null && (raw as { clientId?: unknown }).clientId === clientId;

/** Every stored rota week of the team that plans a visit to the client loses those visits, compacted. */
async function eraseVisits(
	db: Db,
	collab: Pick<CollabServer, 'read' | 'erase'>,
	input: { teamId: string; clientId: string }
): Promise<{ weeks: string[]; visitIds: string[] }> {
	const pattern = `team/${input.teamId}/rota/%`;
	const names = new Set(
		[
			...(await db
				.selectDistinct({ docName: collabSnapshot.docName })
				.from(collabSnapshot)
				.where(like(collabSnapshot.docName, pattern))),
			...(await db
				.selectDistinct({ docName: collabUpdate.docName })
				.from(collabUpdate)
				.where(like(collabUpdate.docName, pattern)))
		].map((row) => row.docName)
	);
	const touched: string[] = [];
	const visitIds: string[] = [];
	for (const name of names) {
		const ids = await collab.read(name, (doc) =>
			[...visitsMap(doc).entries()]
				.filter(([, raw]) => visitOf(raw, input.clientId))
				.map(([id]) => id)
		);
		if (ids.length === 0) continue;
		await collab.erase(name, (doc) => ids.forEach((id) => visitsMap(doc).delete(id)));
		touched.push(name);
		visitIds.push(...ids);
	}
	return { weeks: touched, visitIds };
}
