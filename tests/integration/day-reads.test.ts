import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	addClient,
	addTransmission,
	markRead,
	readReceipts,
	transmissionsOf
} from '../../src/lib/collab/caseload';
import {
	isNewSince,
	lastReads,
	later,
	notYetReadBy,
	readersByTransmission
} from '../../src/lib/domain/day';
import { eraseClient } from '../../src/lib/server/caseload/erase';
import type { CollabServer } from '../../src/lib/server/collab/server';
import { Projections } from '../../src/lib/server/collab/projections';
import { membership } from '../../src/lib/server/db/schema';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// Handovers that close the loop, on the real collab server with stock clients: an urgent note
// written on one phone is new and unread on a colleague's; once on their screen it is read, the
// writer sees who has read it, and the receipts go with the card when the client is erased.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let collab: CollabServer;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let chloe: { id: string; token: string };
let teamId: string;
const clients: Client[] = [];
const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };

beforeAll(async () => {
	database = await createTestDatabase();
	alice = await personWithSession(database.db, 'Alice Martin', 'alice@example.org');
	bob = await personWithSession(database.db, 'Bob Durand', 'bob@example.org');
	chloe = await personWithSession(database.db, 'Chloé Petit', 'chloe@example.org');
	teamId = await teams.create(database.db, { name: 'Équipe Test', creatorId: alice.id, ...nurse });
	for (const person of [bob, chloe]) {
		await database.db.insert(membership).values({ teamId, userId: person.id, ...nurse });
	}
	harness = await startCollab(database.db, { unloadGraceMs: 200 });
	collab = harness.collab;
	await collab.change(`team/${teamId}/caseload`, (doc) =>
		addClient(doc, 'c1', { name: 'Mme Jeanne Roux', address: '1 rue Belfort', sector: 'Plateau' })
	);
}, 120_000);

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

const open = async (token: string) => {
	const client = openDocument(harness.origin, `team/${teamId}/caseload`, token);
	clients.push(client);
	await client.synced;
	return client;
};

describe('read receipts', () => {
	it('an urgent note is new and unread for a colleague until it has been on their screen', async () => {
		const [a, b] = [await open(alice.token), await open(bob.token)];
		const bobReadBefore = Date.now();
		addTransmission(a.doc, 'c1', {
			authorId: alice.id,
			authorName: 'Alice Martin',
			text: 'Chute cette nuit : surveiller la hanche',
			urgent: true
		});
		await waitFor(() => transmissionsOf(b.doc, 'c1').length === 1, 'the note on Bob’s phone');
		const [note] = transmissionsOf(b.doc, 'c1');
		expect(note!.urgent).toBe(true);
		const members = [alice.id, bob.id, chloe.id];
		const unread = () => notYetReadBy(note!, members, readersByTransmission(readReceipts(a.doc)));
		expect(unread()).toEqual([bob.id, chloe.id]);
		// New for Bob: he last read nothing here (and a visit long ago counts for nothing since).
		const since = later(
			bobReadBefore - 86_400_000,
			lastReads(readReceipts(b.doc), bob.id).get('c1')
		);
		expect(isNewSince(note!, bob.id, since)).toBe(true);
		expect(isNewSince(note!, alice.id, null)).toBe(false);

		// On Bob's screen: read. Alice sees it at once; only Chloé has not read it.
		markRead(b.doc, 'c1', [note!.id], bob.id);
		await waitFor(() => unread().length === 1, 'Bob’s receipt on Alice’s phone');
		expect(unread()).toEqual([chloe.id]);
		// Once read, it is no longer new for Bob the next time he opens the card.
		const after = later(null, lastReads(readReceipts(b.doc), bob.id).get('c1'));
		expect(isNewSince(note!, bob.id, after)).toBe(false);

		// A second look keeps the first time; the receipts are stored on the server.
		const first = readReceipts(b.doc)[0]!.at;
		markRead(b.doc, 'c1', [note!.id], bob.id, new Date(Date.now() + 60_000));
		expect(readReceipts(b.doc)[0]!.at).toBe(first);
		await waitFor(
			async () => (await collab.read(`team/${teamId}/caseload`, readReceipts)).length === 1,
			'the receipt on the server'
		);
	});

	it('receipts written at once on two phones both stay', async () => {
		const [a, b] = [await open(alice.token), await open(chloe.token)];
		addTransmission(a.doc, 'c1', { authorId: bob.id, authorName: 'Bob', text: 'RAS' });
		await waitFor(() => transmissionsOf(b.doc, 'c1').length === 2, 'the second note');
		const ids = transmissionsOf(b.doc, 'c1').map((t) => t.id);
		markRead(a.doc, 'c1', ids, alice.id);
		markRead(b.doc, 'c1', ids, chloe.id);
		await waitFor(
			() => readReceipts(a.doc).length === 5 && readReceipts(b.doc).length === 5,
			'every receipt on both phones'
		);
		const who = (doc: typeof a.doc) =>
			readReceipts(doc)
				.map((r) => `${r.userId}:${r.transmissionId}`)
				.sort();
		expect(who(a.doc)).toEqual(who(b.doc));
		expect(new Set(readReceipts(a.doc).map((r) => r.userId))).toEqual(
			new Set([bob.id, alice.id, chloe.id])
		);
	});

	it('goes with the card when the client is erased', async () => {
		const projection = new Projections(database.db, collab, { delayMs: 10 });
		expect(
			await eraseClient(
				database.db,
				{ collab, projection },
				{ teamId, clientId: 'c1', confirmName: 'mme jeanne roux' }
			)
		).toBe('erased');
		expect(await collab.read(`team/${teamId}/caseload`, readReceipts)).toEqual([]);
	});
});
