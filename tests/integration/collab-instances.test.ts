import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PostgresPeers } from '../../src/lib/server/collab/engine/peers';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { LogEntry } from '../../src/lib/server/collab/engine/store';
import { openDatabase, type Database } from '../../src/lib/server/db/open';
import { collabSnapshot, collabUpdate } from '../../src/lib/server/db/schema';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { freshDatabaseUrl, testTarget } from '../helpers/database';
import { loadStoredAt } from '../helpers/stored-document';
import { scratchDocName } from '../helpers/scratch-doc';

// Several Kring instances sharing one Postgres database, in-process: two CollabServers, each with
// its own connection pool, its own LISTEN connection and its own instance name, exactly as two
// processes would have them; stock y-websocket clients split across them. (PGlite is one process's
// own database: nothing to share, so this runs on Postgres only.)

type Instance = Awaited<ReturnType<typeof startCollab>> & { name: string; database: Database };

let url: string;
let dispose: () => Promise<void>;
let admin: postgres.Sql;
let teamId: string;
let person: { id: string; token: string };
let counter = 0;
const started: Instance[] = [];
const clients: Client[] = [];

async function instance(
	name: string,
	tuning: { compactThreshold?: number } = {}
): Promise<Instance> {
	const database = openDatabase({ url, dataDir: null });
	const peers = new PostgresPeers(url, name, {
		info: () => {},
		error: (...a: unknown[]) => console.error(...a)
	});
	const h = await startCollab(database.db, {
		store: new PostgresDocStore(database.db, name),
		peers,
		unloadGraceMs: 200,
		...tuning
	});
	const running = { ...h, name, database };
	started.push(running);
	// Listening before the test writes (a client arriving later reads the log at load anyway).
	await waitFor(async () => (await listening()) >= started.length, `${name} to listen`);
	return running;
}

/** LISTEN connections on the test database (found by their last query). */
async function listening(): Promise<number> {
	const rows = await admin<{ n: number }[]>`
		select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'`;
	return rows[0]!.n;
}

function connect(at: Instance, docName: string): Client {
	const client = openDocument(at.origin, docName, person.token);
	clients.push(client);
	return client;
}

const newDocName = () => scratchDocName(teamId, ++counter);

async function storedText(docName: string, field: string): Promise<string> {
	return (await loadStoredAt(url, docName)).getText(field).toString();
}

describe.skipIf(testTarget() !== 'postgres')('several instances on one Postgres', () => {
	beforeAll(async () => {
		const fresh = await freshDatabaseUrl();
		url = fresh.url;
		dispose = fresh.dispose;
		admin = postgres(url, { max: 1, onnotice: () => {} });
		const setup = openDatabase({ url, dataDir: null });
		await setup.migrate();
		person = await personWithSession(setup.db, 'Alice Martin', 'alice.instances@example.org');
		teamId = await teams.create(setup.db, {
			name: 'Deux instances',
			creatorId: person.id,
			profession: 'nurse',
			contractMinutes: 2100
		});
		await setup.close();
	});

	afterAll(async () => {
		for (const c of clients) c.destroy();
		for (const s of started) {
			await s.stop();
			await s.database.close();
		}
		await admin?.end({ timeout: 2 });
		await dispose?.();
	});

	it('clients of one document split across two instances all converge, and Postgres holds it all', async () => {
		const a = await instance('inst-a');
		const b = await instance('inst-b');
		const name = newDocName();
		const onA = [connect(a, name), connect(a, name)];
		const onB = [connect(b, name), connect(b, name)];
		const all = [...onA, ...onB];
		await Promise.all(all.map((c) => c.synced));

		// Everyone types at once, each in their own line of the shared notes.
		for (let round = 0; round < 20; round++) {
			all.forEach((c, i) => c.doc.getMap('lines').set(`client-${i}`, `ligne ${round}`));
			all.forEach((c, i) => c.doc.getText('notes').insert(0, `${i}`));
		}
		const lines = (c: Client) =>
			[...c.doc.getMap<string>('lines').entries()]
				.sort()
				.map(([k, v]) => `${k}=${v}`)
				.join(' ');
		const expected = 'client-0=ligne 19 client-1=ligne 19 client-2=ligne 19 client-3=ligne 19';
		await waitFor(() => all.every((c) => lines(c) === expected), 'every client to see every line');
		await waitFor(
			() => all.every((c) => c.doc.getText('notes').length === 80),
			'every letter everywhere'
		);
		const text = onA[0]!.doc.getText('notes').toString();
		expect(all.map((c) => c.doc.getText('notes').toString())).toEqual([text, text, text, text]);
		expect(await storedText(name, 'notes')).toBe(text);
	});

	it('a change the server writes on one instance reaches clients on the other, large updates too', async () => {
		const a = await instance('inst-e');
		const b = await instance('inst-f');
		const name = newDocName();
		const watcher = connect(b, name);
		await watcher.synced;
		await a.collab.change(name, (doc) => doc.getText('notes').insert(0, 'Réunion ouverte'));
		await waitFor(
			() => watcher.doc.getText('notes').toString() === 'Réunion ouverte',
			'the server change on B'
		);

		// Too large to travel inside the announcement: B reads it from the log.
		const long = 'Transmissions du matin. '.repeat(400);
		const writer = connect(a, name);
		await writer.synced;
		writer.doc.getText('long').insert(0, long);
		await waitFor(() => watcher.doc.getText('long').toString() === long, 'the large update on B');
		expect(await storedText(name, 'long')).toBe(long);
	});

	it('presence crosses instances: who is on the board, and who left', async () => {
		const a = await instance('inst-p');
		const b = await instance('inst-q');
		const name = newDocName();
		const onA = connect(a, name);
		const onB = connect(b, name);
		await Promise.all([onA.synced, onB.synced]);
		onA.provider.awareness.setLocalStateField('selection', 'card-7');
		const seenFromB = () =>
			[...onB.provider.awareness.getStates().entries()]
				.filter(([id]) => id !== onB.doc.clientID)
				.map(([, state]) => state as { user?: { name?: string }; selection?: string });
		await waitFor(() => seenFromB().some((s) => s.selection === 'card-7'), 'A’s presence on B');
		// stamped by A's server with the real user, and carried as is
		expect(seenFromB().find((s) => s.selection === 'card-7')?.user?.name).toBe('Alice Martin');
		onA.destroy();
		await waitFor(() => seenFromB().length === 0, 'A’s presence to go from B');
	});

	it('compactions on both instances at once lose nothing', async () => {
		const a = await instance('inst-c', { compactThreshold: 5 });
		const b = await instance('inst-d', { compactThreshold: 5 });
		const name = newDocName();
		const onA = connect(a, name);
		const onB = connect(b, name);
		await Promise.all([onA.synced, onB.synced]);
		for (let i = 0; i < 60; i++) {
			(i % 2 === 0 ? onA : onB).doc.getArray('items').push([i]);
			if (i % 10 === 9) await new Promise((r) => setTimeout(r, 30)); // let compactions interleave
		}
		await waitFor(
			() => onA.doc.getArray('items').length === 60 && onB.doc.getArray('items').length === 60,
			'all items on both'
		);
		await waitFor(async () => {
			const rows = await a.database.db
				.select()
				.from(collabUpdate)
				.where(eq(collabUpdate.docName, name));
			return rows.length < 10;
		}, 'compactions to run');
		const [snapshot] = await a.database.db
			.select()
			.from(collabSnapshot)
			.where(eq(collabSnapshot.docName, name));
		expect(snapshot).toBeDefined();

		const doc = await loadStoredAt(url, name);
		const items = doc.getArray<number>('items').toArray();
		expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
		expect(items).toEqual(onA.doc.getArray('items').toArray());
	});

	it('a compaction never overwrites what another instance folded into the snapshot', async () => {
		// Two instances' stores, each compacting what only it has seen: the second must merge the
		// first's snapshot in, or the rows the first dropped would be gone for good.
		const name = newDocName();
		const [one, two] = [openDatabase({ url, dataDir: null }), openDatabase({ url, dataDir: null })];
		const [storeOne, storeTwo] = [
			new PostgresDocStore(one.db, 'one'),
			new PostgresDocStore(two.db, 'two')
		];
		const edit = (text: string) => {
			const doc = new Y.Doc();
			doc.getArray('items').push([text]);
			return Y.encodeStateAsUpdate(doc);
		};
		const [first, second] = [edit('seen by one'), edit('seen by two')];
		const entries: LogEntry[] = [
			{ docName: name, update: first, userId: null, at: new Date() },
			{ docName: name, update: second, userId: null, at: new Date() }
		];
		await storeOne.append([entries[0]!]);
		await storeTwo.append([entries[1]!]);
		await storeOne.compact(name, first, [entries[0]!.seq!], 0);
		await storeTwo.compact(name, second, [entries[1]!.seq!], 0);
		const stored = await storeOne.load(name);
		await Promise.all([one.close(), two.close()]);
		expect(stored.updates).toEqual([]);
		const doc = new Y.Doc();
		Y.applyUpdate(doc, stored.snapshot!);
		expect(doc.getArray('items').toArray().sort()).toEqual(['seen by one', 'seen by two']);
	});

	it('an instance that lost its LISTEN connection catches up on what it missed', async () => {
		const a = await instance('inst-g');
		const b = await instance('inst-h');
		const name = newDocName();
		const onA = connect(a, name);
		const onB = connect(b, name);
		await Promise.all([onA.synced, onB.synced]);
		onA.doc.getText('notes').insert(0, 'avant ');
		await waitFor(() => onB.doc.getText('notes').toString() === 'avant ', 'the first edit on B');

		// Cut every LISTEN connection: announcements made until postgres.js reconnects are lost.
		await admin`select pg_terminate_backend(pid) from pg_stat_activity
			where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`;
		onA.doc.getText('notes').insert(6, 'pendant');
		await waitFor(
			() => onB.doc.getText('notes').toString() === 'avant pendant',
			'B to catch up after reconnecting',
			15_000
		);
		expect(await storedText(name, 'notes')).toBe('avant pendant');
	});
});
