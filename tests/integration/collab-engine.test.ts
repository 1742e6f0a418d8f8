import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as accounts from '../../src/lib/server/accounts/accounts';
import { createSession } from '../../src/lib/server/auth/session';
import { MemoryDocStore } from '../../src/lib/server/collab/engine/memory-store';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { DocStore, LogEntry } from '../../src/lib/server/collab/engine/store';
import { collabSnapshot, collabUpdate } from '../../src/lib/server/db/schema';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import {
	openDocument,
	settlesWithin,
	upgradeStatus,
	waitFor,
	type Client
} from '../helpers/collab-client';
import { startEngine, type Engine, type Tuning } from '../helpers/collab-engine-harness';
import {
	awarenessMessage,
	openRaw as openRawSocket,
	syncMessage,
	updateOf,
	type Raw
} from '../helpers/collab-raw';
import { createTestDatabase, testTarget } from '../helpers/database';
import { loadStored } from '../helpers/stored-document';
import { scratchDocName } from '../helpers/scratch-doc';

// The collab engine in-process, with its real parts: a Node HTTP server handing its upgrades to
// CollabServer, the real authorizer over a migrated database, stock y-websocket clients, raw `ws`
// sockets for hostile ones, and the Postgres store (the memory twin only where the database is down).

const MiB = 1024 * 1024;
const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let teamId: string;
const people = {} as Record<
	'alice' | 'bob' | 'mallory',
	{ id: string; name: string; token: string }
>;
let docCounter = 0;

const harnesses: Harness[] = [];
const clients: Client[] = [];
const raws: Raw[] = [];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A fresh document of the test team, so tests never share state. */
function newDocName(): string {
	return scratchDocName(teamId, ++docCounter);
}

// ---------------------------------------------------------------------------------------------
// The server under test and its clients (shared with the other engine tests: collab-engine-harness
// and collab-raw), with what each test opened kept for afterAll

type Harness = Engine;

async function startCollab(store: DocStore, tuning: Tuning = {}): Promise<Harness> {
	const harness = await startEngine(database.db, store, { commitWindowMs: 5, ...tuning });
	harnesses.push(harness);
	return harness;
}

/** A stock y-websocket client, as the browser runs it. */
function connect(h: Harness, docName: string, who: keyof typeof people): Client {
	const client = openDocument(h.origin, docName, people[who].token);
	clients.push(client);
	return client;
}

/** A hand-driven socket: the protocol speaks only when told to. */
async function openRaw(h: Harness, docName: string, who: keyof typeof people): Promise<Raw> {
	const raw = await openRawSocket(h.url(docName), people[who].token, h.origin);
	raws.push(raw);
	return raw;
}

// ---------------------------------------------------------------------------------------------
// Looking at what is stored

/** A fresh document on an engine with a memory store, Alice synced on it, and her text 't'. */
async function aliceTyping() {
	const h = await startCollab(new MemoryDocStore());
	const name = newDocName();
	const a = connect(h, name, 'alice');
	await a.synced;
	return { h, name, a, text: a.doc.getText('t') };
}

async function logRows(docName: string) {
	return database.db
		.select()
		.from(collabUpdate)
		.where(eq(collabUpdate.docName, docName))
		.orderBy(asc(collabUpdate.seq));
}

async function snapshotRow(docName: string) {
	const [row] = await database.db
		.select()
		.from(collabSnapshot)
		.where(eq(collabSnapshot.docName, docName));
	return row ?? null;
}

/** Same content: same state vector and the same JSON for the named shared types. */
function expectSameContent(
	actual: Y.Doc,
	expected: Y.Doc,
	arrays: string[] = [],
	maps: string[] = []
): void {
	expect(Y.decodeStateVector(Y.encodeStateVector(actual))).toEqual(
		Y.decodeStateVector(Y.encodeStateVector(expected))
	);
	for (const name of arrays)
		expect(actual.getArray(name).toJSON(), name).toEqual(expected.getArray(name).toJSON());
	for (const name of maps)
		expect(actual.getMap(name).toJSON(), name).toEqual(expected.getMap(name).toJSON());
}

// ---------------------------------------------------------------------------------------------

async function person(name: string, email: string) {
	const result = await accounts.signUp(database.db, {
		name,
		email,
		password: 'a long enough password',
		address: '127.0.0.1'
	});
	if (!result.ok) throw new Error(`sign-up failed: ${result.reason}`);
	const { token } = await createSession(database.db, result.userId);
	return { id: result.userId, name, token };
}

beforeAll(async () => {
	database = await createTestDatabase();
	people.alice = await person('Alice Martin', 'alice@example.org');
	people.bob = await person('Bob Durand', 'bob@example.org');
	people.mallory = await person('Mallory Petit', 'mallory@example.org');
	teamId = await teams.create(database.db, {
		name: 'Équipe Test',
		creatorId: people.alice.id,
		...nurse
	});
	for (const who of [people.bob, people.mallory]) {
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: people.alice.id
		});
		const accepted = await invitations.accept(database.db, {
			token,
			userId: who.id,
			profile: nurse
		});
		if (!accepted.ok) throw new Error(`invitation failed: ${accepted.reason}`);
	}
});

afterAll(async () => {
	for (const client of clients) client.destroy();
	for (const raw of raws) raw.ws.terminate();
	for (const harness of harnesses) {
		await harness
			.stop()
			.catch((error: unknown) => console.error('stopping a collab server failed:', error));
	}
	await database?.dispose();
});

describe('the collab engine, in-process', () => {
	it('relays nothing unsaved: an edit made while the database is down reaches no one until it is stored', async () => {
		const store = new MemoryDocStore();
		const h = await startCollab(store);
		const name = newDocName();
		const a = connect(h, name, 'alice');
		const b = connect(h, name, 'bob');
		await Promise.all([a.synced, b.synced]);

		store.failing = true;
		a.doc.getMap('m').set('x', 'written while the database is down');
		// a newcomer asking for the whole state must not get it either
		const late = connect(h, name, 'bob');
		await sleep(500);
		expect(b.doc.getMap('m').get('x')).toBeUndefined();
		expect(late.doc.getMap('m').get('x')).toBeUndefined();
		expect(store.log.get(name) ?? []).toHaveLength(0);
		expect(h.logs.error.some((line) => line.includes('commit failed'))).toBe(true);

		store.failing = false;
		await waitFor(
			() => b.doc.getMap('m').get('x') !== undefined,
			'the relay after recovery',
			10_000
		);
		await waitFor(
			() => late.doc.getMap('m').get('x') !== undefined,
			'the late joiner after recovery',
			10_000
		);
		const log = store.log.get(name) ?? [];
		expect(log).toHaveLength(1);
		expect(log[0]!.userId).toBe(people.alice.id);
		const stored = await loadStored(store, name);
		expect(stored.getMap('m').get('x')).toBe('written while the database is down');
	});

	it('answers a sync request with saved state only, even when an unsaved edit arrives while it waits', async () => {
		const store = new MemoryDocStore();
		// One commit at a time, so that y's batch is the one after x's (by default two may run at once).
		const h = await startCollab(store, { commitsInFlight: 1 });
		const name = newDocName();
		const a = connect(h, name, 'alice');
		await a.synced;

		store.failing = true;
		a.doc.getMap('m').set('x', 1);
		// a newcomer asks for everything (sync step 1 with an empty state vector): the answer waits for x
		const newcomer = await openRaw(h, name, 'bob');
		newcomer.send(syncMessage(0, Y.encodeStateVector(new Y.Doc())));
		await sleep(100);
		a.doc.getMap('m').set('y', 2);
		await sleep(100); // y is applied on the server, its commit queued behind x's

		// The database comes back for exactly one batch (x), then goes away again before y's.
		const append = store.append.bind(store);
		let batches = 0;
		store.append = async (entries: LogEntry[]) => {
			await append(entries);
			if (++batches === 1) store.failing = true;
		};
		try {
			store.failing = false;
			await waitFor(
				() => newcomer.doc.getMap('m').get('x') === 1,
				'the answer after x is saved',
				10_000
			);
			await sleep(300);
			expect((store.log.get(name) ?? []).length).toBe(1);
			expect(newcomer.doc.getMap('m').get('y')).toBeUndefined();
		} finally {
			store.append = append;
			store.failing = false;
		}
		await waitFor(() => newcomer.doc.getMap('m').get('y') === 2, 'y once it is saved', 10_000);
		expect((store.log.get(name) ?? []).length).toBe(2);
	});

	it('gives every newcomer the whole state while edits keep coming, a deletion and 80 KiB of text among them', async () => {
		const { h, name, a, text } = await aliceTyping();
		text.insert(0, 'bonjour');
		const newcomer = async () => {
			const raw = await openRaw(h, name, 'bob');
			raw.send(syncMessage(0, Y.encodeStateVector(new Y.Doc())));
			await waitFor(
				() => raw.doc.getText('t').toString() === text.toString(),
				`a newcomer holding "${text.toString().slice(0, 40)}…"`,
				10_000
			);
			return raw;
		};
		await newcomer();
		// Edits after the first newcomer's answer, a deletion among them.
		text.insert(7, ' tout le monde');
		text.delete(0, 3);
		a.doc.getMap('m').set('k', 1);
		await sleep(100);
		const second = await newcomer();
		expect(second.doc.getMap('m').get('k')).toBe(1);
		await newcomer();
		// Many updates after the last answer: the next newcomer gets all of it.
		for (let i = 0; i < 80; i++) text.insert(text.length, `${i}:${'x'.repeat(1_000)}\n`);
		await sleep(200);
		const third = await newcomer();
		expectSameContent(third.doc, a.doc, [], ['m']);
	});

	it('lets a stock newcomer hold, when it counts itself synced, the edits made after the shared encoding', async () => {
		const { h, name, text } = await aliceTyping();
		text.insert(0, 'x'.repeat(20_000));
		await sleep(100);
		// The first newcomer makes the shared encoding of the whole state.
		const first = connect(h, name, 'bob');
		await first.synced;
		expect(first.doc.getText('t').length).toBe(20_000);
		text.insert(0, 'après ');
		await sleep(100);
		// A stock client counts itself synced on sync step 2, and Kring's pages read the document
		// then (live-document.svelte.ts): the edit after the encoding must be in by that moment.
		const stock = connect(h, name, 'bob');
		let atSync: string | null = null;
		stock.provider.on('sync', (synced: boolean) => {
			if (synced && atSync === null) atSync = stock.doc.getText('t').toString().slice(0, 6);
		});
		await stock.synced;
		expect(atSync).toBe('après ');
	});

	it('refuses to open a document whose load fails (503) and never saves it empty', async () => {
		const store = new MemoryDocStore();
		const name = newDocName();
		const seeded = updateOf((doc) => {
			doc.getText('memo').insert(0, 'Penser aux clés');
			doc.getMap('visits').set('v1', 'Mme Martin, 8 h 30');
		});
		await store.append([
			{ docName: name, seq: 1, update: seeded, userId: people.alice.id, at: new Date() }
		]);
		const h = await startCollab(store);
		const headers = { cookie: `session=${people.alice.token}`, origin: h.origin };

		store.failing = true;
		const refused = await Promise.all([
			upgradeStatus(h.url(name), headers),
			upgradeStatus(h.url(name), headers)
		]);
		expect(refused).toEqual([
			{ status: 503, messages: 0 },
			{ status: 503, messages: 0 }
		]);
		expect(h.collab.openDocuments).toBe(0);
		await sleep(300); // past the unload grace: nothing may be written for the document
		store.failing = false;
		expect(store.log.get(name)?.map((e) => e.seq)).toEqual([1]);
		expect(store.snapshots.has(name)).toBe(false);

		const client = connect(h, name, 'alice');
		await client.synced;
		expect(client.doc.getText('memo').toString()).toBe('Penser aux clés');
		expect(client.doc.getMap('visits').get('v1')).toBe('Mme Martin, 8 h 30');
		client.destroy();
		await waitFor(() => store.snapshots.has(name), 'the compaction at unload');
		const stored = await loadStored(store, name);
		expect(stored.getText('memo').toString()).toBe('Penser aux clés');
		expect(stored.getMap('visits').get('v1')).toBe('Mme Martin, 8 h 30');
	});

	it('loses nothing when a document unloads while its save is still failing, and compacts it', async () => {
		const store = new MemoryDocStore();
		const h = await startCollab(store, { unloadGraceMs: 50 });
		const name = newDocName();
		const a = connect(h, name, 'alice');
		await a.synced;

		store.failing = true;
		a.doc.getText('memo').insert(0, 'saved late');
		a.destroy();
		await waitFor(() => h.collab.openDocuments === 0, 'the unload to start');
		// reopening waits for the unload, which waits for the save
		const b = connect(h, name, 'bob');
		await sleep(300);
		expect(store.log.get(name) ?? []).toHaveLength(0);
		expect(store.snapshots.has(name)).toBe(false);

		store.failing = false;
		await b.synced;
		expect(b.doc.getText('memo').toString()).toBe('saved late');
		expect(store.snapshots.has(name)).toBe(true);
		const snapshot = store.snapshots.get(name)!;
		expect(snapshot.version).toBeGreaterThan(0);
		expect(store.log.get(name) ?? []).toHaveLength(0);
		const fresh = new Y.Doc();
		Y.applyUpdate(fresh, snapshot.state);
		expect(fresh.getText('memo').toString()).toBe('saved late');
	});

	it('loses nothing when a document unloads while its save is in flight on Postgres', async () => {
		const h = await startCollab(new PostgresDocStore(database.db), {
			unloadGraceMs: 0,
			commitWindowMs: 30
		});
		const name = newDocName();
		const a = connect(h, name, 'alice');
		await a.synced;
		for (let i = 0; i < 5; i++) a.doc.getArray('items').push([`item ${i}`]);
		a.destroy(); // the unload starts while the batch still waits for its commit window

		await waitFor(() => h.collab.openDocuments === 0, 'the unload to start');
		const b = connect(h, name, 'bob');
		await b.synced;
		expect(b.doc.getArray('items').toJSON()).toEqual([
			'item 0',
			'item 1',
			'item 2',
			'item 3',
			'item 4'
		]);
		const snapshot = await snapshotRow(name);
		expect(snapshot).not.toBeNull();
		expect(await logRows(name)).toHaveLength(0);
		const stored = await loadStored(new PostgresDocStore(database.db), name);
		expect(stored.getArray('items').toJSON()).toEqual(b.doc.getArray('items').toJSON());
	});

	it.skipIf(testTarget() !== 'postgres')(
		'saves and relays an edit while every pooled connection of the app waits on a slow query: the log writes on its own',
		async () => {
			/** Every connection of the app's pool held by a slow query; `freed` once one returned. */
			async function holdThePool(seconds: number) {
				const state = { freed: false };
				const queries = Array.from({ length: 10 }, () =>
					database.db.execute(sql`select pg_sleep(${seconds})`).then(() => (state.freed = true))
				);
				const held = Promise.all(queries);
				await waitFor(async () => {
					const rows = (await database.log.execute(
						sql`select count(*)::int as n from pg_stat_activity where query like 'select pg_sleep%' and state = 'active'`
					)) as unknown as { n: number }[];
					return rows[0]!.n >= 10;
				}, 'the slow queries to hold every pooled connection');
				return { state, held };
			}
			/** Whether an edit reached a colleague while the app's pool was still held. */
			async function relayedWhileHeld(store: DocStore): Promise<boolean> {
				const h = await startCollab(store);
				const name = newDocName();
				const [a, b] = [connect(h, name, 'alice'), connect(h, name, 'bob')];
				await Promise.all([a.synced, b.synced]);
				const pool = await holdThePool(3);
				a.doc.getText('memo').insert(0, 'written at the door');
				await waitFor(
					() => b.doc.getText('memo').toString() === 'written at the door',
					'the relay'
				);
				const whileHeld = !pool.state.freed;
				await pool.held;
				return whileHeld;
			}
			expect(await relayedWhileHeld(new PostgresDocStore(database.db, null, database.log))).toBe(
				true
			);
			// The control: a store writing through the app's pool waits for a connection.
			expect(await relayedWhileHeld(new PostgresDocStore(database.db))).toBe(false);
		}
	);

	it('compacts the log once it passes compactThreshold, and a fresh load gives the same state', async () => {
		const h = await startCollab(new PostgresDocStore(database.db), {
			compactThreshold: 20,
			unloadGraceMs: 60_000
		});
		const name = newDocName();
		const a = connect(h, name, 'alice');
		const b = connect(h, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		for (let i = 0; i < 50; i++) {
			if (i % 2 === 0) a.doc.getArray('list').push([i]);
			else a.doc.getMap('map').set(`k${i}`, i);
		}
		await waitFor(
			() => b.doc.getArray('list').length === 25 && b.doc.getMap('map').size === 25,
			'the relay'
		);

		// Compactions keep running in the background: read the snapshot and the log in one snapshot
		// of the database, so that they agree with each other.
		const readStore = () =>
			database.db.transaction(
				async (tx) => {
					const [snapshot] = await tx
						.select()
						.from(collabSnapshot)
						.where(eq(collabSnapshot.docName, name));
					const log = await tx
						.select()
						.from(collabUpdate)
						.where(eq(collabUpdate.docName, name))
						.orderBy(asc(collabUpdate.seq));
					return { snapshot: snapshot ?? null, log };
				},
				{ isolationLevel: 'repeatable read' }
			);
		const deadline = Date.now() + 10_000;
		let stored = await readStore();
		while (stored.snapshot === null || stored.log.length >= 20) {
			if (Date.now() > deadline) throw new Error('timed out waiting for the compaction');
			await sleep(20);
			stored = await readStore();
		}
		// the log holds what follows the snapshot: the last updates, numbered in the order applied
		const seqs = stored.log.map((row) => row.seq);
		expect(seqs.length).toBeLessThan(20);
		expect(seqs).toEqual(Array.from(seqs, (_, i) => seqs[0]! + i));

		// snapshot + log rebuild the document the clients have
		const loaded = new Y.Doc();
		Y.applyUpdate(loaded, stored.snapshot!.state);
		for (const row of stored.log) Y.applyUpdate(loaded, row.update);
		expectSameContent(loaded, a.doc, ['list'], ['map']);
		const viaUpdate = new Y.Doc();
		Y.applyUpdate(viaUpdate, Y.encodeStateAsUpdate(loaded));
		const fromClient = new Y.Doc();
		Y.applyUpdate(fromClient, Y.encodeStateAsUpdate(b.doc));
		expectSameContent(viaUpdate, fromClient, ['list'], ['map']);
		expect(viaUpdate.getArray('list').toJSON()).toEqual(
			Array.from({ length: 25 }, (_, i) => 2 * i)
		);

		// and so does the store's own load, once the server is gone
		await h.stop();
		const reloaded = await loadStored(new PostgresDocStore(database.db), name);
		expectSameContent(reloaded, fromClient, ['list'], ['map']);
	});

	it('rewrites a big snapshot only once the log weighs half of it, or holds ten times the threshold', async () => {
		const h = await startCollab(new PostgresDocStore(database.db), {
			compactThreshold: 5,
			unloadGraceMs: 60_000
		});
		const name = newDocName();
		const a = connect(h, name, 'alice');
		const b = connect(h, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		const logRows = async () =>
			(
				await database.db
					.select({ seq: collabUpdate.seq })
					.from(collabUpdate)
					.where(eq(collabUpdate.docName, name))
			).length;
		const snapshotOf = async () =>
			(await database.db.select().from(collabSnapshot).where(eq(collabSnapshot.docName, name)))[0];
		// 20,000 characters, then small edits: the first compaction makes a snapshot of that weight.
		a.doc.getText('notes').insert(0, 'x'.repeat(20_000));
		const push = async (from: number, count: number) => {
			for (let i = from; i < from + count; i++) a.doc.getArray('list').push([i]);
			await waitFor(() => b.doc.getArray('list').length === from + count, 'the relay');
		};
		await push(0, 5);
		await waitFor(
			async () => (await snapshotOf()) !== undefined && (await logRows()) < 5,
			'the first compaction'
		);
		const first = await snapshotOf();
		expect(first!.state.byteLength).toBeGreaterThan(20_000);

		// 40 small rows weigh far less than half the snapshot: the log keeps them.
		await push(5, 40);
		await sleep(500);
		expect(await logRows()).toBeGreaterThanOrEqual(40);
		expect((await snapshotOf())!.uptoSeq).toBe(first!.uptoSeq);

		// Fifty rows, ten times the threshold: compacted whatever they weigh.
		await push(45, 10);
		await waitFor(async () => (await logRows()) < 5, 'the compaction at ten times the threshold');
		const reloaded = await loadStored(new PostgresDocStore(database.db), name);
		expect(reloaded.getArray('list').length).toBe(55);
		expect(reloaded.getText('notes').length).toBe(20_000);
	});

	it('writes every received edit to the store when close() is called right after them', async () => {
		const h = await startCollab(new PostgresDocStore(database.db), { commitWindowMs: 20 });
		const name = newDocName();
		const a = connect(h, name, 'alice');
		await a.synced;
		for (let i = 0; i < 30; i++) a.doc.getArray('list').push([i]);
		a.doc.getText('memo').insert(0, 'last words');
		await h.collab.close();

		const stored = await loadStored(new PostgresDocStore(database.db), name);
		expect(stored.getArray('list').toJSON()).toEqual(Array.from({ length: 30 }, (_, i) => i));
		expect(stored.getText('memo').toString()).toBe('last words');
		expect(h.logs.error).toEqual([]);
		a.destroy();
	});

	/** The real store, telling when a document starts loading. */
	class WatchedStore extends PostgresDocStore {
		onLoad: (() => void) | null = null;
		override load(docName: string) {
			const loading = super.load(docName);
			this.onLoad?.();
			return loading;
		}
	}

	it.each([
		['while its session is checked', 'upgrade'],
		['while its document loads', 'load']
	] as const)(
		'answers an upgrade caught by the stop %s with 503, and stops at once',
		async (_when, moment) => {
			const store = new WatchedStore(database.db);
			const h = await startCollab(store);
			const name = newDocName();
			// Stopping right at that moment, in the same turn of the event loop: the upgrade is
			// half-way through its awaits.
			if (moment === 'upgrade') h.http.once('upgrade', () => void h.stop());
			else store.onLoad = () => void h.stop();
			const answered = upgradeStatus(h.url(name), {
				cookie: `session=${people.alice.token}`,
				origin: h.origin
			});
			// Before, the socket was left unanswered: the client waited for ever, and so did the
			// HTTP server's close (an upgrading socket is no connection `closeAllConnections` ends).
			expect(await settlesWithin(answered, 5_000, 'an answer to the upgrade')).toEqual({
				status: 503,
				messages: 0
			});
			await settlesWithin(h.stop(), 5_000, 'the engine to stop');
			expect(h.collab.openDocuments).toBe(0);
		}
	);

	it('relays a server-side change() to connected clients and stores it with no user', async () => {
		const h = await startCollab(new PostgresDocStore(database.db));
		const name = newDocName();
		const b = connect(h, name, 'bob');
		await b.synced;
		await h.collab.change(name, (doc) => doc.getMap('m').set('k', 'v'));
		await waitFor(() => b.doc.getMap('m').get('k') === 'v', 'the server change');

		const rows = await database.db
			.select()
			.from(collabUpdate)
			.where(and(eq(collabUpdate.docName, name), isNull(collabUpdate.userId)));
		expect(rows).toHaveLength(1);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, rows[0]!.update);
		expect(doc.getMap('m').get('k')).toBe('v');

		// a change to a document nobody has open is stored too
		const closed = newDocName();
		await h.collab.change(closed, (d) => d.getText('t').insert(0, 'from the server'));
		const stored = await loadStored(new PostgresDocStore(database.db), closed);
		expect(stored.getText('t').toString()).toBe('from the server');
	});

	it('closes connections that break the limits or the protocol, and keeps serving everyone else', async () => {
		const h = await startCollab(new PostgresDocStore(database.db));
		const name = newDocName();
		const a = connect(h, name, 'alice');
		const b = connect(h, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		let edits = 0;
		const stillRelays = async (what: string) => {
			const key = `after ${what} ${++edits}`;
			a.doc.getMap('m').set(key, true);
			await waitFor(() => b.doc.getMap('m').get(key) === true, `an edit after ${what}`);
		};

		const big = await openRaw(h, name, 'mallory');
		big.send(new Uint8Array(MiB + 1));
		expect((await big.closed).code).toBe(1009);
		await stillRelays('an oversized message');

		const text = await openRaw(h, name, 'mallory');
		text.send('hello');
		expect((await text.closed).code).toBe(1002);
		await stillRelays('a text frame');

		const unknown = await openRaw(h, name, 'mallory');
		unknown.send(new Uint8Array([99, 1, 2, 3]));
		expect((await unknown.closed).code).toBe(1002);
		await stillRelays('an unknown message type');

		const refusedBefore = h.collab.stats.refusedUpdates;
		const garbage = await openRaw(h, name, 'mallory');
		garbage.send(
			syncMessage(2, new Uint8Array([1, 1, 0xde, 0xad, 0xbe, 0xef, 0x0f, 0xff, 0xff, 0xff]))
		);
		expect((await garbage.closed).code).toBe(1002);
		expect(h.collab.stats.refusedUpdates).toBe(refusedBefore + 1);
		await stillRelays('a garbage update');

		const flood = await openRaw(h, name, 'mallory');
		for (let i = 0; i < 1000; i++) flood.send(new Uint8Array([2]));
		expect((await flood.closed).code).toBe(1008);
		expect(h.collab.stats.throttled).toBeGreaterThan(0);
		// Past its burst, what it sent waited behind everyone else's before the socket was closed.
		expect(h.collab.stats.deferred).toBeGreaterThan(0);
		await stillRelays('a flood');

		expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
		const late = connect(h, name, 'mallory');
		await late.synced;
		expect(late.doc.getMap('m').toJSON()).toEqual(a.doc.getMap('m').toJSON());
		expect(h.logs.error).toEqual([]);
	});

	it('survives a thousand hostile messages while two good clients keep editing, and reloads their work', async () => {
		const store = new PostgresDocStore(database.db);
		const h = await startCollab(store);
		const name = newDocName();
		const a = connect(h, name, 'alice');
		const b = connect(h, name, 'bob');
		await Promise.all([a.synced, b.synced]);

		let goodEdits = 0;
		const editing = setInterval(() => {
			goodEdits++;
			a.doc.getArray('good-a').push([`a${goodEdits}`]);
			b.doc.getArray('good-b').push([`b${goodEdits}`]);
			if (goodEdits % 5 === 0) a.doc.getMap('good-m').set(`k${goodEdits % 7}`, goodEdits);
		}, 20);

		// What the good clients wrote, compared by content and by their own clocks. The hostile
		// clients' junk is not compared across the old clients and newcomers: Yjs includes updates it
		// holds pending (missing dependencies, which only a hostile client produces here) in
		// encodeStateAsUpdate, so a newcomer or a reload may integrate junk the old clients keep pending.
		const expectSameGoodContent = (actual: Y.Doc, expected: Y.Doc) => {
			for (const type of ['good-a', 'good-b'])
				expect(actual.getArray(type).toJSON(), type).toEqual(expected.getArray(type).toJSON());
			expect(actual.getMap('good-m').toJSON()).toEqual(expected.getMap('good-m').toJSON());
			const clocks = (doc: Y.Doc) =>
				[a.doc.clientID, b.doc.clientID].map((id) => Y.getState(doc.store, id));
			expect(clocks(actual)).toEqual(clocks(expected));
		};

		const seed = Number(process.env.COLLAB_FUZZ_SEED ?? 20_260_101);
		let sent = 0;
		try {
			const hostiles = [0, 1, 2].map(async (n) => {
				const next = fuzzer(seed + n);
				for (let round = 0; round < 16; round++) {
					const raw = await openRaw(h, name, 'mallory');
					// a batch well under the burst allowance, then the hostile client hangs up
					for (let i = 0; i < 25; i++) {
						if (raw.ws.readyState !== raw.ws.OPEN) break;
						raw.send(next());
						sent++;
					}
					raw.ws.close();
					await Promise.race([raw.closed, sleep(2_000)]);
					raw.ws.terminate();
				}
			});
			await Promise.all(hostiles);
		} finally {
			clearInterval(editing);
		}
		expect(sent).toBeGreaterThanOrEqual(1_000);

		// the good clients converge with everything they wrote
		const total = goodEdits;
		await waitFor(
			() =>
				[a, b].every(
					(c) =>
						c.doc.getArray('good-a').length === total && c.doc.getArray('good-b').length === total
				),
			'the good clients to converge',
			15_000
		);
		await waitFor(
			() => Y.encodeStateVector(a.doc).toString() === Y.encodeStateVector(b.doc).toString(),
			'identical state vectors',
			15_000
		);
		expectSameContent(a.doc, b.doc, ['good-a', 'good-b', 'junk'], ['good-m', 'junkmap']);
		expect(a.doc.getArray('good-a').toJSON()).toEqual(
			Array.from({ length: total }, (_, i) => `a${i + 1}`)
		);
		expect(a.doc.getArray('good-b').toJSON()).toEqual(
			Array.from({ length: total }, (_, i) => `b${i + 1}`)
		);

		// the server still serves: a newcomer syncs the same content
		const late = connect(h, name, 'bob');
		await late.synced;
		await waitFor(() => late.doc.getArray('good-a').length === total, 'the newcomer');
		expectSameGoodContent(late.doc, a.doc);
		expect(h.logs.error).toEqual([]);
		expect(h.collab.stats.protocolErrors + h.collab.stats.refusedUpdates).toBeGreaterThan(0);

		// and everything the good clients saw reloads from the database
		await h.stop();
		const reloader = await startEngine(database.db, new PostgresDocStore(database.db));
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await reloader.collab.snapshot(name));
		await reloader.stop();
		expectSameGoodContent(reloaded, a.doc);
	});

	it('stamps presence with the real user and keeps anyone from speaking for another connection', async () => {
		const h = await startCollab(new PostgresDocStore(database.db));
		const name = newDocName();
		const a = connect(h, name, 'alice');
		const b = connect(h, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		const aliceId = a.doc.clientID;
		a.provider.awareness.setLocalState({
			user: { name: 'Somebody Else', id: 'forged' },
			selection: 'item:1'
		});
		const stateOf = (id: number) =>
			b.provider.awareness.getStates().get(id) as Record<string, unknown> | undefined;
		await waitFor(() => stateOf(aliceId)?.selection === 'item:1', 'alice’s presence');
		expect(stateOf(aliceId)?.user).toMatchObject({ id: people.alice.id, name: 'Alice Martin' });

		const mallory = await openRaw(h, name, 'mallory');
		mallory.send(
			awarenessMessage([
				{
					clientId: aliceId,
					clock: 1_000,
					state: { selection: 'forged', user: { name: 'Alice Martin' } }
				}
			])
		);
		mallory.send(awarenessMessage([{ clientId: aliceId, clock: 2_000, state: null }]));
		mallory.send(
			awarenessMessage([
				{
					clientId: 4_242_424,
					clock: 1,
					state: { selection: 'mine', user: { name: 'Alice Martin' } }
				}
			])
		);
		// messages of one connection are handled in order: once her own presence shows, the rest was judged
		await waitFor(() => stateOf(4_242_424)?.selection === 'mine', 'mallory’s own presence');
		expect(stateOf(4_242_424)?.user).toMatchObject({
			id: people.mallory.id,
			name: 'Mallory Petit'
		});
		expect(stateOf(aliceId)?.selection).toBe('item:1');
		expect(stateOf(aliceId)?.user).toMatchObject({ id: people.alice.id, name: 'Alice Martin' });
		expect(a.provider.awareness.getStates().get(4_242_424)).toBeDefined();

		// her presence leaves with her connection; alice's stays
		mallory.ws.close();
		await waitFor(() => stateOf(4_242_424) === undefined, 'mallory’s presence to go');
		expect(stateOf(aliceId)?.selection).toBe('item:1');
		expect(h.collab.stats.protocolErrors).toBe(0);
	});
});

// ---------------------------------------------------------------------------------------------
// The fuzzer: random bytes and mutated valid messages, reproducible from a seed.

function fuzzer(seed: number): () => Uint8Array | string {
	let state = seed >>> 0;
	const random = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(random() * n);
	const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
	const doc = new Y.Doc();
	let last: Uint8Array = new Uint8Array([0, 0]);
	doc.on('update', (update: Uint8Array) => (last = update));
	let clock = 0;

	const validUpdate = (): Uint8Array => {
		const junk = doc.getArray<unknown>('junk');
		switch (int(4)) {
			case 0:
				junk.insert(int(junk.length + 1), [`j${int(1000)}`, { n: int(100) }]);
				break;
			case 1:
				doc
					.getMap('junkmap')
					.set(`k${int(8)}`, int(2) === 0 ? 'x'.repeat(int(40)) : [int(9), null, true]);
				break;
			case 2: {
				const text = doc.getText('junktext');
				if (text.length > 3 && int(2) === 0) text.delete(int(text.length - 1), 2);
				else text.insert(int(text.length + 1), 'bla', int(2) === 0 ? { bold: true } : undefined);
				break;
			}
			default:
				if (junk.length > 0) junk.delete(int(junk.length), 1);
				else junk.push([int(10)]);
		}
		return last;
	};
	const flip = (message: Uint8Array): Uint8Array => {
		const copy = message.length > 0 ? message.slice() : bytes(1);
		for (let k = 1 + int(3); k > 0; k--) {
			const at = int(copy.length);
			copy[at] = copy[at]! ^ (1 + int(255));
		}
		return copy;
	};
	const truncate = (message: Uint8Array) => message.slice(0, int(message.length));
	const varUints = (...values: number[]) => {
		const encoder = encoding.createEncoder();
		for (const value of values) encoding.writeVarUint(encoder, value);
		return encoding.toUint8Array(encoder);
	};
	const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
	const withLength = (payload: Uint8Array) => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint8Array(encoder, payload);
		return encoding.toUint8Array(encoder);
	};
	const huge = () => [2 ** 32 + int(1000), 2 ** 40, Number.MAX_SAFE_INTEGER, 2 ** 31 - 1][int(4)]!;
	const validAwareness = () =>
		awarenessMessage([
			{ clientId: doc.clientID, clock: ++clock, state: { cursor: int(100), user: { name: 'x' } } }
		]);

	return () => {
		switch (int(13)) {
			case 0: // random bytes
				return bytes(int(64));
			case 1: // a sync envelope around random bytes (step 1, step 2, update, or an unknown kind)
				return syncMessage(int(5), bytes(int(48)));
			case 2: // a valid update with bytes flipped
				return flip(syncMessage(2, validUpdate()));
			case 3: // a valid step 2 with bytes flipped
				return flip(syncMessage(1, Y.encodeStateAsUpdate(doc)));
			case 4: // a valid message cut short
				return truncate(int(2) === 0 ? syncMessage(2, validUpdate()) : validAwareness());
			case 5: // huge lengths: of the payload, of the awareness update, of the update's own counts
				switch (int(4)) {
					case 0:
						return concat(varUints(0, 2, huge()), bytes(int(16)));
					case 1:
						return concat(varUints(1, huge()), bytes(int(16)));
					case 2:
						return syncMessage(2, concat(varUints(huge(), huge(), int(2 ** 31), 0), bytes(int(8))));
					default: // an awareness update announcing 999 entries
						return concat(varUints(1), withLength(concat(varUints(999, 1, 1), bytes(int(8)))));
				}
			case 6: // a valid awareness message with bytes flipped
				return flip(validAwareness());
			case 7: // sync step 1 with a garbage state vector
				return syncMessage(0, int(2) === 0 ? bytes(int(12)) : varUints(huge(), 1, 2));
			case 8: // a well-formed update with an absurd clock (a GC run of huge length)
				return syncMessage(
					2,
					concat(
						varUints(1, 1, int(2 ** 31), 0),
						new Uint8Array([0]),
						varUints(huge()),
						varUints(0)
					)
				);
			case 9: // valid messages, passed through: the hostile client also edits
				return int(2) === 0 ? syncMessage(2, validUpdate()) : validAwareness();
			case 10: // query awareness and auth messages
				return int(2) === 0 ? new Uint8Array([3]) : concat(new Uint8Array([2]), bytes(int(8)));
			case 11: // text frames and empty frames
				return int(2) === 0 ? 'not binary' : new Uint8Array(0);
			default: // a valid step 1, then whatever follows
				return syncMessage(0, flip(Y.encodeStateVector(doc)));
		}
	};
}
