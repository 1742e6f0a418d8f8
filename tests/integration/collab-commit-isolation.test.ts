import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isolatedSince, storageUnavailableSince } from '../../src/lib/collab/server-presence';
import { indexableKey } from '../../src/lib/server/db/storable';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { LogEntry } from '../../src/lib/server/collab/engine/store';
import { settlesWithin, waitFor } from '../helpers/collab-client';
import { engineTestbed } from '../helpers/engine-testbed';
import { loadStored } from '../helpers/stored-document';

// One update the database cannot take must never stop anyone else's board. Against the real
// database of the run (PGlite, or Postgres with KRING_TEST_DB=postgres), the engine in-process,
// stock y-websocket clients.

const bed = engineTestbed({ commitWindowMs: 5, unloadGraceMs: 100 });
const { newDocName, connect, leave } = bed;
const engine = (store: PostgresDocStore) => bed.engine(store);

async function changeRows(docName: string): Promise<{ entry: string; field: string }[]> {
	const result = await bed.db.execute(
		sql`select entry, field from collab_change where doc_name = ${docName} order by seq`
	);
	return (
		Array.isArray(result) ? result : (result as { rows: { entry: string; field: string }[] }).rows
	) as {
		entry: string;
		field: string;
	}[];
}

/**
 * Nested maps `depth` deep under root `root`, then, in a transaction of its own (Yjs records no
 * change of a type created in the same transaction), `key` set in the innermost one.
 */
function setDeep(doc: Y.Doc, root: string, depth: number, key: string): void {
	let map = doc.getMap<unknown>(root);
	doc.transact(() => {
		for (let i = 0; i < depth; i++) {
			const inner = new Y.Map<unknown>();
			map.set(`level${i}`, inner);
			map = inner;
		}
	});
	map.set(key, 1);
}

/**
 * The real store, made to write what the change index held before keys were made safe: an entry
 * whose update carries the marker `POISON` is indexed under a key with a NUL in it, which Postgres
 * refuses (22P05), as any update it cannot take would be. The refusal is the database's own.
 */
class UnsafeIndexStore extends PostgresDocStore {
	refusals = 0;
	override async append(entries: LogEntry[]): Promise<void> {
		for (const entry of entries) {
			if (Buffer.from(entry.update).includes('POISON'))
				entry.touched = [{ entry: 'm/a\u0000b', field: '' }];
		}
		try {
			return await super.append(entries);
		} catch (error) {
			this.refusals++;
			throw error;
		}
	}
}

describe('keys the database text cannot hold', () => {
	const hostile: [string, string][] = [
		['a NUL', 'a\u0000b'],
		['a 10,000-character key', randomBytes(5_000).toString('hex')],
		['a lone high surrogate', 'x\ud800y'],
		['a lone low surrogate', '\udc00'],
		[
			'a NUL in a 10,000-character key',
			`${'\u0000'.repeat(10)}${randomBytes(5_000).toString('hex')}`
		]
	];

	it.each(hostile)(
		'%s from a stock client is saved, indexed and relayed, and the document keeps saving',
		async (_what, key) => {
			const e = await engine(new PostgresDocStore(bed.db));
			const name = newDocName();
			const alice = connect(e, name, 'alice');
			const bob = connect(e, name, 'bob');
			await Promise.all([alice.synced, bob.synced]);
			alice.doc.getMap('m').set(key, 1);
			alice.doc.getMap('m').set('after', 2);
			await waitFor(
				() => bob.doc.getMap('m').get('after') === 2,
				'the edit after the hostile key relayed',
				5_000
			);
			// What Yjs carries (it encodes strings as UTF-8: a lone surrogate arrives as U+FFFD) reached Bob.
			expect(bob.doc.getMap('m').size).toBe(2);
			expect(storageUnavailableSince(bob.provider.awareness.getStates().values())).toBeNull();
			const rows = await changeRows(name);
			const entries = rows.map((r) => r.entry);
			expect(entries).toContain('m/after'); // readable keys stay as they are
			const hostileRow = entries.find((entry) => entry !== 'm/after')!;
			expect(hostileRow).toBeDefined();
			expect(hostileRow).not.toContain('\u0000');
			expect(hostileRow.length).toBeLessThanOrEqual(300);
			// A newcomer syncs, and the stored document holds it all.
			const carol = connect(e, name, 'bob');
			await carol.synced;
			expect(carol.doc.getMap('m').get('after')).toBe(2);
			const stored = await loadStored(new PostgresDocStore(bed.db), name);
			expect(stored.getMap('m').size).toBe(2);
			expect(e.logs.error.filter((line) => line.includes('commit failed'))).toEqual([]);
		}
	);

	it('a NUL key 40 maps deep is indexed too (paths past 32 steps are not indexed at all)', async () => {
		const e = await engine(new PostgresDocStore(bed.db));
		const name = newDocName();
		const alice = connect(e, name, 'alice');
		const bob = connect(e, name, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		setDeep(alice.doc, 'd20', 20, 'a\u0000b');
		setDeep(alice.doc, 'd40', 40, `${'\u0000'}${'z'.repeat(3_000)}`);
		alice.doc.getMap('m').set('after', 2);
		await waitFor(
			() => bob.doc.getMap('m').get('after') === 2,
			'the edit after the deep keys relayed',
			5_000
		);
		const rows = await changeRows(name);
		const deep = rows.filter((r) => r.entry === 'd20/level0');
		expect(deep.some((r) => r.field.includes('level19/a\uFFFDb'))).toBe(true);
		expect(rows.some((r) => r.entry.startsWith('d40'))).toBe(true); // the maps, not the 40-deep key
		expect(rows.every((r) => !r.entry.includes('\u0000') && !r.field.includes('\u0000'))).toBe(
			true
		);
		expect(e.logs.error.filter((line) => line.includes('commit failed'))).toEqual([]);
	});

	it('keeps the keys Kring writes readable, and distinct hostile keys distinct', () => {
		for (const key of [
			'clients',
			'0b7c6f1e-4a3b-4d2c-9e8f-123456789abc',
			'carePlan',
			'firstVisit',
			'Équipe à 9h'
		])
			expect(indexableKey(key)).toBe(key);
		expect(indexableKey('a\u0000b')).not.toBe(indexableKey('a\u0001b'));
		expect(indexableKey('a\u0000b')).not.toBe(indexableKey('a\uFFFDb'));
		const long = 'k'.repeat(10_000);
		expect(indexableKey(long)).not.toBe(indexableKey(`${long}x`));
		expect(indexableKey(long).startsWith('k'.repeat(64))).toBe(true);
	});
});

describe('an update the database refuses', () => {
	it('isolates its document only: the others keep saving and syncing, what was acknowledged survives a restart', async () => {
		const store = new UnsafeIndexStore(bed.db);
		const e = await engine(store);
		const honestDoc = newDocName();
		const poisoned = [newDocName(), newDocName(), newDocName(), newDocName()];

		// Acknowledged edits on the documents about to be poisoned.
		const watchers = poisoned.map((name) => connect(e, name, 'bob'));
		const poisoners = poisoned.map((name) => connect(e, name, 'alice'));
		await Promise.all([...watchers, ...poisoners].map((c) => c.synced));
		poisoners.forEach((c, i) => c.doc.getMap('m').set('kept', `acknowledged ${i}`));
		for (const [i, w] of watchers.entries())
			await waitFor(
				() => w.doc.getMap('m').get('kept') === `acknowledged ${i}`,
				'acknowledged edit relayed'
			);

		const writer = connect(e, honestDoc, 'bob');
		const reader = connect(e, honestDoc, 'alice');
		await Promise.all([writer.synced, reader.synced]);

		// Four poison updates, each with an honest edit of the honest document racing it.
		const delays: number[] = [];
		const closes: number[] = [];
		for (const p of poisoners)
			p.provider.on(
				'connection-close',
				(event: CloseEvent | null) => event && closes.push(event.code)
			);
		for (const [i, p] of poisoners.entries()) {
			p.doc.getMap('m').set('evil', 'POISON');
			const sent = Date.now();
			writer.doc.getMap('m').set(`line${i}`, i);
			await waitFor(
				() => reader.doc.getMap('m').get(`line${i}`) === i,
				`honest line ${i} relayed`,
				5_000
			);
			delays.push(Date.now() - sent);
		}
		// And a burst of honest edits afterwards, all relayed promptly.
		for (let n = 0; n < 20; n++) writer.doc.getMap('m').set(`burst${n}`, n);
		const burstAt = Date.now();
		await waitFor(
			() => reader.doc.getMap('m').get('burst19') === 19,
			'honest burst relayed',
			5_000
		);
		delays.push(Date.now() - burstAt);
		expect(Math.max(...delays)).toBeLessThan(3_000);
		expect(store.refusals).toBeGreaterThanOrEqual(4);

		// Each poisoned document says so on its board; the poison was never relayed.
		for (const w of watchers) {
			await waitFor(
				() => isolatedSince(w.provider.awareness.getStates().values()) !== null,
				'isolated notice'
			);
			expect(w.doc.getMap('m').get('evil')).toBeUndefined();
			expect(storageUnavailableSince(w.provider.awareness.getStates().values())).toBeNull();
		}
		// The poisoners were closed with the isolation code.
		await waitFor(() => closes.filter((c) => c === 4001).length >= 4, 'poisoners closed with 4001');

		// A newcomer to the honest document syncs all of it; one to a poisoned document gets what
		// was acknowledged and not the poison.
		const late = connect(e, honestDoc, 'alice');
		await late.synced;
		expect(late.doc.getMap('m').get('burst19')).toBe(19);
		const lateToPoisoned = connect(e, poisoned[0]!, 'bob');
		await lateToPoisoned.synced;
		expect(lateToPoisoned.doc.getMap('m').get('kept')).toBe('acknowledged 0');
		expect(lateToPoisoned.doc.getMap('m').get('evil')).toBeUndefined();

		// Writing to an isolated document is refused: the writer is closed, nothing is stored.
		const before = (await loadStored(new PostgresDocStore(bed.db), poisoned[1]!))
			.getMap('m')
			.toJSON();
		const watcherCloses: number[] = [];
		watchers[1]!.provider.on(
			'connection-close',
			(event: CloseEvent | null) => event && watcherCloses.push(event.code)
		);
		watchers[1]!.doc.getMap('m').set('while isolated', true);
		await waitFor(
			() => watcherCloses.includes(4001),
			'writer to an isolated document closed with 4001'
		);
		expect(
			(await loadStored(new PostgresDocStore(bed.db), poisoned[1]!)).getMap('m').toJSON()
		).toEqual(before);

		// Restart: the acknowledged edits of every document are there, the poison is not.
		bed.leaveAll();
		await settlesWithin(e.stop(), 15_000, 'the engine to stop');
		const again = await engine(new PostgresDocStore(bed.db));
		for (const [i, name] of poisoned.entries()) {
			const stored = await loadStored(new PostgresDocStore(bed.db), name);
			expect(stored.getMap('m').get('kept')).toBe(`acknowledged ${i}`);
			expect(stored.getMap('m').get('evil')).toBeUndefined();
		}
		const honestStored = await loadStored(new PostgresDocStore(bed.db), honestDoc);
		expect(honestStored.getMap('m').get('burst19')).toBe(19);
		expect(honestStored.getMap('m').get('line3')).toBe(3);

		// Reopened, a formerly poisoned document takes writes again.
		const a = connect(again, poisoned[0]!, 'alice');
		const b = connect(again, poisoned[0]!, 'bob');
		await Promise.all([a.synced, b.synced]);
		a.doc.getMap('m').set('fixed', true);
		await waitFor(() => b.doc.getMap('m').get('fixed') === true, 'write after restart relayed');
	});

	it('is fixed once everyone has left: the document reloads from what was saved and takes writes', async () => {
		const e = await engine(new UnsafeIndexStore(bed.db));
		const name = newDocName();
		const alice = connect(e, name, 'alice');
		const bob = connect(e, name, 'bob');
		await Promise.all([alice.synced, bob.synced]);
		alice.doc.getMap('m').set('kept', 1);
		await waitFor(() => bob.doc.getMap('m').get('kept') === 1, 'acknowledged edit relayed');
		alice.doc.getMap('m').set('evil', 'POISON');
		await waitFor(
			() => isolatedSince(bob.provider.awareness.getStates().values()) !== null,
			'isolated notice'
		);
		leave(alice);
		leave(bob);
		await waitFor(() => e.logs.error.length > 0, 'isolation logged');
		// Unloaded after the grace period (100 ms), without compacting the refused update in.
		await new Promise((r) => setTimeout(r, 600));
		const carol = connect(e, name, 'alice');
		const dave = connect(e, name, 'bob');
		await Promise.all([carol.synced, dave.synced]);
		expect(carol.doc.getMap('m').get('kept')).toBe(1);
		expect(carol.doc.getMap('m').get('evil')).toBeUndefined();
		expect(isolatedSince(dave.provider.awareness.getStates().values())).toBeNull();
		carol.doc.getMap('m').set('again', 2);
		await waitFor(() => dave.doc.getMap('m').get('again') === 2, 'write after reload relayed');
		const stored = await loadStored(new PostgresDocStore(bed.db), name);
		expect(stored.getMap('m').get('evil')).toBeUndefined();
		expect(stored.getMap('m').get('again')).toBe(2);
	});
});
