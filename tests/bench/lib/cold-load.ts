// S4: opening a cold document (one no server process has in memory) after 100,000 small updates,
// timed from the socket's creation to the server's full state (its sync step 2), in the forms a
// store can hold it:
//   log       the raw log of every update (Kring only: a document never compacted)
//   snapshot  compacted, a snapshot alone (Kring: compacted by its own engine; Hocuspocus: the one
//             merged blob its database extension stores, which is all it ever keeps)
//   tail      a snapshot and the updates logged after it (Kring only)
//   empty     a document never written, for the cost of the connection itself (every server)
// and the join storm: many clients at the same instant on a cold document (the tail form; the
// merged blob for Hocuspocus), with the store loads that caused (Kring must load once) and the
// time until the last of them is synced. Every client must receive exactly the stored text.
//
// The data is written from this process, as the store would hold it: Kring's through
// `PostgresDocStore.append` (the raw log), compacted by opening the documents through a
// CollabServer on the same store and closing it (it compacts every open document at shutdown);
// Hocuspocus's as the blob its `store` hook writes. The compacted forms hold the state after the
// same 100,000 updates (appended as that one merged update, then compacted: the snapshot is the
// same state the 100,000 rows would give, without writing them three times a round).
import postgres from 'postgres';
import * as Y from 'yjs';
import { CollabServer } from '../../../src/lib/server/collab/server';
import { PostgresDocStore } from '../../../src/lib/server/collab/engine/postgres-store';
import type { LogEntry } from '../../../src/lib/server/collab/engine/store';
import { openDatabase } from '../../../src/lib/server/db/open';
import { MarkerLog } from './markers';
import { RawClient, type Target } from './raw-client';
import { benchDocName } from './scenarios';
import { targetOf, type RunningServer } from './servers';
import { percentile, sleep } from './stats';

export const COLD_FORMS = ['empty', 'snapshot', 'tail', 'log'] as const;
type ColdForm = (typeof COLD_FORMS)[number];

interface ColdOpen {
	/** ms from the socket's creation to the full state. */
	ms: number;
	/** Size of the state the server sent (bytes). */
	bytes: number;
}

export interface S4Result {
	/** Per form; null where the server has no such form (n/a). */
	open: Record<ColdForm, ColdOpen | null>;
	storm: {
		clients: number;
		/** Store loads the storm caused (null: the server has no store). */
		loads: number | null;
		/** From the first socket's creation to the last client's full state (ms). */
		allSyncedMs: number;
		p50Ms: number;
	} | null;
	/** Time spent writing the data before the measurements (ms). */
	prepareMs: number;
	failures: string[];
}

interface Corpus {
	updates: Uint8Array[];
	/** The state after `updates`, as one update. */
	state: Uint8Array;
	text: string;
	/** Updates made after `updates` (the tail), and the state and text after them. */
	tail: Uint8Array[];
	fullState: Uint8Array;
	fullText: string;
}

const STORE_BATCH = 5_000;
const OPEN_TIMEOUT_MS = 120_000;
const TEXT = 'notes';
const corpora = new Map<string, Corpus>();

/**
 * Somebody typing notes: a letter at a time at a cursor, now and then a backspace or a jump to
 * another place. Seeded, so every round and server gets the same document.
 */
function corpus(count: number, tailCount: number): Corpus {
	const key = `${count}/${tailCount}`;
	const known = corpora.get(key);
	if (known !== undefined) return known;
	let seed = 8;
	const random = () => (seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32;
	const doc = new Y.Doc();
	const text = doc.getText(TEXT);
	let sink: Uint8Array[] = [];
	doc.on('update', (update: Uint8Array) => sink.push(update));
	let cursor = 0;
	const type = () => {
		const r = random();
		if (r < 0.05 && cursor > 0) {
			text.delete(--cursor, 1);
			return;
		}
		if (r < 0.1) cursor = Math.floor(random() * (text.length + 1));
		text.insert(
			cursor++,
			random() < 0.17 ? ' ' : String.fromCharCode(97 + Math.floor(random() * 26))
		);
	};
	for (let i = 0; i < count; i++) type();
	const updates = sink;
	const state = Y.encodeStateAsUpdate(doc);
	const plain = text.toString();
	sink = [];
	for (let i = 0; i < tailCount; i++) type();
	const made = {
		updates,
		state,
		text: plain,
		tail: sink,
		fullState: Y.encodeStateAsUpdate(doc),
		fullText: text.toString()
	};
	doc.destroy();
	corpora.set(key, made);
	return made;
}

function docNames(server: RunningServer, run: string): Record<ColdForm | 'storm', string> {
	return {
		empty: benchDocName(server, run, 'empty'),
		snapshot: benchDocName(server, run, 'snap'),
		tail: benchDocName(server, run, 'tail'),
		log: benchDocName(server, run, 'log'),
		storm: benchDocName(server, run, 'storm')
	};
}

async function appendAll(
	store: PostgresDocStore,
	docName: string,
	updates: Uint8Array[],
	firstSeq: number
): Promise<void> {
	const at = new Date();
	for (let i = 0; i < updates.length; i += STORE_BATCH) {
		const entries: LogEntry[] = updates
			.slice(i, i + STORE_BATCH)
			.map((update, j) => ({ docName, seq: firstSeq + i + j, update, userId: null, at }));
		await store.append(entries);
	}
}

/** Kring's three forms and the storm document, written to the bench database. */
async function prepareKring(
	databaseUrl: string,
	names: Record<ColdForm | 'storm', string>,
	data: Corpus
): Promise<string[]> {
	const failures: string[] = [];
	const database = openDatabase({ url: databaseUrl, dataDir: null });
	try {
		const store = new PostgresDocStore(database.db);
		await appendAll(store, names.log, data.updates, 1);
		const compacted = [names.snapshot, names.tail, names.storm];
		for (const name of compacted) await appendAll(store, name, [data.state], 1);
		const collab = new CollabServer({
			store,
			authorize: async () => ({ ok: false, status: 403, reason: 'bench preparation only' }),
			log: { info: () => {}, warn: console.warn, error: console.error }
		});
		for (const name of compacted) await collab.read(name, () => null);
		await collab.close(); // compacts every open document
		for (const name of compacted) {
			const stored = await store.load(name);
			if (stored.snapshot === null || stored.updates.length > 0)
				failures.push(
					`kring S4: ${name} was not compacted by close() (snapshot ${stored.snapshot === null ? 'missing' : 'present'}, ${stored.updates.length} log rows)`
				);
		}
		for (const name of [names.tail, names.storm]) await appendAll(store, name, data.tail, 2);
	} finally {
		await database.close();
	}
	return failures;
}

/** Hocuspocus keeps one merged blob per document: its compacted form, and the storm document. */
async function prepareHocuspocus(
	databaseUrl: string,
	names: Record<ColdForm | 'storm', string>,
	data: Corpus
): Promise<void> {
	const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
	try {
		await sql`insert into hocuspocus_document (name, data) values
			(${names.snapshot}, ${Buffer.from(data.state)}), (${names.storm}, ${Buffer.from(data.fullState)})`;
	} finally {
		await sql.end({ timeout: 5 });
	}
}

function textOf(state: Uint8Array): string {
	const doc = new Y.Doc();
	try {
		Y.applyUpdate(doc, state);
		return doc.getText(TEXT).toString();
	} finally {
		doc.destroy();
	}
}

async function timeout<T>(promise: Promise<T>, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	try {
		return await Promise.race([
			promise,
			new Promise<never>((_, reject) => {
				timer = setTimeout(
					() => reject(new Error(`${what}: no state in ${OPEN_TIMEOUT_MS / 1000} s`)),
					OPEN_TIMEOUT_MS
				);
			})
		]);
	} finally {
		clearTimeout(timer);
	}
}

/** One client opens the document; its state must hold exactly `expected`. */
async function openOnce(
	target: Target,
	docName: string,
	id: number,
	expected: string,
	failures: string[],
	kind: string
): Promise<ColdOpen> {
	const client = new RawClient(id, docName, target, new MarkerLog(), false, { keepState: true });
	try {
		await timeout(client.ready, `${kind} ${docName}`);
		const got = textOf(client.state!);
		if (got !== expected)
			failures.push(
				`${kind} S4 ${docName}: received ${got.length} letters of text, stored ${expected.length}`
			);
		return { ms: client.syncedAt - client.openedAt, bytes: client.state!.byteLength };
	} finally {
		await client.close();
	}
}

export async function runS4(
	server: RunningServer,
	run: string,
	options: { updates: number; tail: number; stormClients: number }
): Promise<S4Result> {
	const data = corpus(options.updates, options.tail);
	const names = docNames(server, run);
	const failures: string[] = [];
	const kring = server.kind === 'kring';
	const hocuspocus = server.kind === 'hocuspocus';
	const prepareStarted = performance.now();
	if (kring) failures.push(...(await prepareKring(server.databaseUrl!, names, data)));
	if (hocuspocus) await prepareHocuspocus(server.databaseUrl!, names, data);
	const prepareMs = performance.now() - prepareStarted;

	const target = targetOf(server);
	const supported: Record<ColdForm, boolean> = {
		empty: true,
		snapshot: kring || hocuspocus,
		tail: kring,
		log: kring
	};
	const expected: Record<ColdForm, string> = {
		empty: '',
		snapshot: data.text,
		tail: data.fullText,
		log: data.text
	};
	const open = { empty: null, snapshot: null, tail: null, log: null } as S4Result['open'];
	let id = 0;
	// The raw log last: its replay is the heaviest, and its unload (a compaction) runs afterwards.
	for (const form of ['empty', 'snapshot', 'tail'] as const) {
		if (supported[form])
			open[form] = await openOnce(target, names[form], id++, expected[form], failures, server.kind);
	}

	let storm: S4Result['storm'] = null;
	if (kring || hocuspocus) {
		const before = (await server.loads(names.storm)) ?? 0;
		const log = new MarkerLog();
		const clients = Array.from(
			{ length: options.stormClients },
			(_, i) => new RawClient(100 + i, names.storm, target, log, false, { keepState: true })
		);
		try {
			await timeout(Promise.all(clients.map((c) => c.ready)), `${server.kind} storm`);
			const first = Math.min(...clients.map((c) => c.openedAt));
			const loads = await server.loads(names.storm);
			storm = {
				clients: clients.length,
				loads: loads === null ? null : loads - before,
				allSyncedMs: Math.max(...clients.map((c) => c.syncedAt)) - first,
				p50Ms: percentile(
					clients.map((c) => c.syncedAt - c.openedAt),
					0.5
				)
			};
			const wrong = clients.filter((c) => textOf(c.state!) !== data.fullText).length;
			if (wrong > 0)
				failures.push(
					`${server.kind} S4 storm: ${wrong} of ${clients.length} clients got another text`
				);
			if (kring && storm.loads !== 1)
				failures.push(
					`kring S4 storm: ${storm.loads} store loads for ${clients.length} clients at once (must be 1)`
				);
		} catch (error) {
			failures.push(
				`${server.kind} S4 storm: ${error instanceof Error ? error.message : String(error)}`
			);
		} finally {
			await Promise.all(clients.map((c) => c.close()));
		}
	}
	if (supported.log) {
		await sleep(200);
		open.log = await openOnce(target, names.log, id++, expected.log, failures, server.kind);
	}
	return { open, storm, prepareMs, failures };
}
