import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { storageUnavailableSince } from '../../src/lib/collab/server-presence';
import { MemoryDocStore } from '../../src/lib/server/collab/engine/memory-store';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { waitFor, type Client } from '../helpers/collab-client';
import { awarenessMessage } from '../helpers/collab-raw';
import { engineTestbed } from '../helpers/engine-testbed';

// Database-away mode, as the boards see it: the server's own presence entry says it cannot save,
// nothing unsaved is relayed, memory held meanwhile is bounded, and all of it clears once saved.
// Stock y-websocket clients, the real authorizer, the memory store's failing switch or a Postgres
// store whose appends hang.

const bed = engineTestbed({ commitWindowMs: 5 });
const { engine, connect, raw, newDocName } = bed;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What the board would show: since when the server says it cannot save, or null. */
const notice = (client: Client) =>
	storageUnavailableSince(client.provider.awareness.getStates().values());

/** A Postgres store whose appends can be made to hang, like a database that stopped answering. */
class HangingStore extends PostgresDocStore {
	private gate: Promise<void> | null = null;
	private open = () => {};
	hang(): void {
		this.gate = new Promise((resolve) => (this.open = resolve));
	}
	answer(): void {
		this.gate = null;
		this.open();
	}
	override async append(
		...args: Parameters<PostgresDocStore['append']>
	): ReturnType<PostgresDocStore['append']> {
		while (this.gate !== null) await this.gate;
		return super.append(...args);
	}
}

describe('the collab engine with its database away', () => {
	it('tells every board of the document that it cannot save, relays nothing, then saves, relays and clears', async () => {
		const store = new MemoryDocStore();
		const e = await engine(store);
		const name = newDocName();
		const a = connect(e, name, 'alice');
		const b = connect(e, name, 'bob');
		const elsewhere = connect(e, newDocName(), 'bob');
		await Promise.all([a.synced, b.synced, elsewhere.synced]);
		expect(notice(a)).toBeNull();

		store.failing = true;
		a.doc.getMap('m').set('x', 'written while the database is down');
		await waitFor(() => notice(a) !== null && notice(b) !== null, 'the notice on both boards');
		expect(new Date(notice(a)!).getTime()).not.toBeNaN();
		// a newcomer is told at once, with the presence the server sends on joining
		const late = connect(e, name, 'bob');
		await waitFor(() => notice(late) !== null, 'the notice for a newcomer');
		await sleep(200);
		expect(b.doc.getMap('m').get('x')).toBeUndefined();
		expect(late.doc.getMap('m').get('x')).toBeUndefined();
		expect(store.log.get(name) ?? []).toHaveLength(0);
		// a board with nothing waiting is not told
		expect(notice(elsewhere)).toBeNull();
		expect(e.collab.sizes().unavailableDocs).toBe(1);
		// the server's entry is no one's presence: it carries no user
		const serverEntry = [...b.provider.awareness.getStates().values()].find((s) => 'kring' in s);
		expect(serverEntry?.user).toBeUndefined();

		store.failing = false;
		await waitFor(() => b.doc.getMap('m').get('x') !== undefined, 'the relay once saved', 10_000);
		await waitFor(
			() => late.doc.getMap('m').get('x') !== undefined,
			'the newcomer once saved',
			10_000
		);
		expect((store.log.get(name) ?? []).map((entry) => entry.userId)).toEqual([bed.team.alice.id]);
		await waitFor(() => [a, b, late].every((c) => notice(c) === null), 'the notice to clear');
		expect(e.collab.sizes()).toMatchObject({ unavailableDocs: 0, pendingDocs: 0, pendingBytes: 0 });
	});

	it('tells the boards when saving stalls past storageStallMs, before any commit has failed', async () => {
		const store = new HangingStore(bed.db);
		const e = await engine(store, { storageStallMs: 300 });
		const name = newDocName();
		const a = connect(e, name, 'alice');
		const b = connect(e, name, 'bob');
		await Promise.all([a.synced, b.synced]);

		store.hang();
		a.doc.getText('memo').insert(0, 'Clés chez la voisine');
		await waitFor(() => notice(b) !== null, 'the notice after the stall');
		expect(e.logs.error).toEqual([]); // nothing failed: it only waits
		expect(b.doc.getText('memo').toString()).toBe('');

		store.answer();
		await waitFor(
			() => b.doc.getText('memo').toString() === 'Clés chez la voisine',
			'the relay once saved'
		);
		await waitFor(() => notice(a) === null && notice(b) === null, 'the notice to clear');
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await e.collab.snapshot(name));
		expect(reloaded.getText('memo').toString()).toBe('Clés chez la voisine');
	});

	it('lets no client speak for the server: the notice key is stripped from their own presence', async () => {
		const e = await engine(new PostgresDocStore(bed.db));
		const name = newDocName();
		const b = connect(e, name, 'bob');
		await b.synced;
		const forger = await raw(e, name, 'alice');
		forger.send(
			awarenessMessage([
				{
					clientId: 777_001,
					clock: 1,
					state: { selection: 'note:1', kring: { storage: 'unavailable', since: 'now' } }
				}
			])
		);
		await waitFor(
			() => b.provider.awareness.getStates().get(777_001)?.selection === 'note:1',
			'the forger’s presence'
		);
		expect(b.provider.awareness.getStates().get(777_001)).not.toHaveProperty('kring');
		expect(notice(b)).toBeNull();
	});

	it('bounds what it holds unsaved: past maxPendingBytes a writer is closed with 1013, and its edit is saved once the database is back', async () => {
		const store = new MemoryDocStore();
		const cap = 64 * 1024;
		const e = await engine(store, { maxPendingBytes: cap });
		const name = newDocName();
		const writer = connect(e, name, 'alice');
		const reader = connect(e, name, 'bob');
		await Promise.all([writer.synced, reader.synced]);
		const closes: { code: number; reason: string }[] = [];
		writer.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
			if (event !== null) closes.push({ code: event.code, reason: event.reason });
		});

		store.failing = true;
		writer.doc.getText('t').insert(0, 'a'.repeat(40_000)); // held: under the cap
		await waitFor(() => e.collab.sizes().pendingBytes > 0, 'the first edit to be held');
		writer.doc.getText('t').insert(0, 'b'.repeat(40_000)); // would pass the cap: refused
		await waitFor(() => closes.length > 0, 'the writer to be closed');
		expect(closes[0]).toEqual({ code: 1013, reason: 'cannot save for now, try again later' });
		expect(e.collab.stats.refusedWhileUnsaved).toBeGreaterThan(0);
		// it reconnects and tries again; whatever it does, the server holds no more than the cap
		await sleep(800);
		expect(e.collab.sizes().pendingBytes).toBeLessThanOrEqual(cap);
		expect(reader.provider.wsconnected).toBe(true);
		expect(reader.doc.getText('t').length).toBe(0);

		store.failing = false;
		await waitFor(
			() => reader.doc.getText('t').length === 80_000,
			'both edits, once the database is back',
			15_000
		);
		expect(reader.doc.getText('t').toString()).toBe(writer.doc.getText('t').toString());
		await waitFor(() => notice(reader) === null && notice(writer) === null, 'the notice to clear');
		const stored = new Y.Doc();
		Y.applyUpdate(stored, await e.collab.snapshot(name));
		expect(stored.getText('t').length).toBe(80_000);
	});
});
