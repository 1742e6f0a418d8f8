import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { waitFor } from '../helpers/collab-client';
import {
	awarenessMessage,
	openNonReader,
	syncMessage,
	updateOf,
	type Raw
} from '../helpers/collab-raw';
import { engineTestbed } from '../helpers/engine-testbed';

// The engine under many clients at once, with its real parts (the Postgres store, the real
// authorizer, stock y-websocket clients and raw sockets): presence sent in batches, a join storm on
// a cold document, connect/disconnect cycles that leave nothing behind, a client that stops reading.
// Counts and sizes are asserted, never times; heap figures belong to the benchmarks.

// Each stock provider in Node listens for the process's exit: fifty of them are expected here.
process.setMaxListeners(100);
const bed = engineTestbed();
const { engine, connect, raw, newDocName } = bed;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The Postgres store, counting its loads per document (and taking its time, so joins overlap). */
class CountingStore extends PostgresDocStore {
	readonly loads = new Map<string, number>();
	loadDelayMs = 0;
	override async load(
		...args: Parameters<PostgresDocStore['load']>
	): ReturnType<PostgresDocStore['load']> {
		this.loads.set(args[0], (this.loads.get(args[0]) ?? 0) + 1);
		if (this.loadDelayMs > 0) await sleep(this.loadDelayMs);
		return super.load(...args);
	}
}

const emptied = {
	rooms: 0,
	unloading: 0,
	sockets: 0,
	connections: 0,
	pendingDocs: 0,
	pendingBytes: 0,
	unavailableDocs: 0
};

describe('the collab engine under load', () => {
	it('sends presence in batches: 30 clients updating together cost a few messages each, and all see every latest state', async () => {
		const e = await engine(new PostgresDocStore(bed.db), { presenceWindowMs: 50 });
		const name = newDocName();
		const people = await Promise.all(Array.from({ length: 30 }, () => raw(e, name)));
		const ids = people.map((_, i) => 900_000 + i);
		const rounds = 5;
		for (let round = 1; round <= rounds; round++) {
			people.forEach((p, i) =>
				p.send(
					awarenessMessage([
						{ clientId: ids[i]!, clock: round, state: { selection: `${round}:${i}` } }
					])
				)
			);
			await sleep(150);
		}
		const updates = people.length * rounds;
		const seesAll = (p: Raw) =>
			ids.every((id, i) => {
				const entry = p.presence.get(id);
				return entry?.clock === rounds && entry.state?.selection === `${rounds}:${i}`;
			});
		await waitFor(() => people.every(seesAll), 'every client to see every latest state');
		for (const p of people) {
			// one message per update to each of them before; now a batch per window
			expect(p.received.awareness).toBeLessThan(updates / 3);
		}
		for (const p of people)
			expect(p.presence.get(ids[0]!)?.state?.user).toMatchObject({ id: bed.team.alice.id });

		// removals on disconnect go out too
		const leaving = people.slice(0, 10);
		for (const p of leaving) p.ws.close();
		const staying = people.slice(10);
		await waitFor(
			() =>
				staying.every((p) => ids.slice(0, 10).every((id) => p.presence.get(id)?.state === null)),
			'the ones who left to disappear'
		);
		expect(
			staying.every((p) =>
				ids
					.slice(10)
					.every((id, i) => p.presence.get(id)?.state?.selection === `${rounds}:${i + 10}`)
			)
		).toBe(true);
	});

	it('loads a cold document once for 50 clients joining at the same moment, and syncs them all to the same state', async () => {
		const store = new CountingStore(bed.db);
		const e = await engine(store, { unloadGraceMs: 20 });
		const name = newDocName();
		await e.collab.change(name, (doc) => {
			doc.getText('memo').insert(0, 'Passage infirmier à 8 h 30');
			for (let i = 0; i < 20; i++) doc.getMap('visits').set(`v${i}`, { minutes: 15 + i });
		});
		await waitFor(
			() => e.collab.sizes().rooms === 0 && e.collab.sizes().unloading === 0,
			'the document to leave memory'
		);
		store.loads.clear();
		store.loadDelayMs = 200; // the joins arrive while the load is under way

		const storm = Array.from({ length: 50 }, (_, i) =>
			connect(e, name, i % 2 === 0 ? 'alice' : 'bob')
		);
		await Promise.all(storm.map((c) => c.synced));
		expect(store.loads.get(name)).toBe(1);
		expect(e.collab.openDocuments).toBe(1);
		const vector = Y.encodeStateVector(storm[0]!.doc).toString();
		for (const c of storm) {
			expect(Y.encodeStateVector(c.doc).toString()).toBe(vector);
			expect(c.doc.getText('memo').toString()).toBe('Passage infirmier à 8 h 30');
			expect(c.doc.getMap('visits').size).toBe(20);
		}
		for (const c of storm) c.destroy();
		await waitFor(
			() => e.collab.sizes().rooms === 0 && e.collab.sizes().connections === 0,
			'the storm to leave'
		);
	});

	it(
		'keeps nothing from 20 cycles of 30 clients on 10 documents connecting and leaving',
		{ timeout: 120_000 },
		async () => {
			const e = await engine(new PostgresDocStore(bed.db), { unloadGraceMs: 20 });
			const docs = Array.from({ length: 10 }, () => newDocName());
			const cycles = 20;
			for (let cycle = 0; cycle < cycles; cycle++) {
				const present = Array.from({ length: 30 }, (_, i) => ({
					docName: docs[i % 10]!,
					client: connect(e, docs[i % 10]!)
				}));
				await Promise.all(present.map(({ client }) => client.synced));
				present.forEach(({ client }, i) => client.doc.getMap('marks').set(`${cycle}:${i}`, true));
				// every edit is saved and relayed to the others on its document before they leave
				await waitFor(
					() =>
						present.every(({ client }, i) =>
							[0, 10, 20].every(
								(k) => client.doc.getMap('marks').get(`${cycle}:${(i % 10) + k}`) === true
							)
						),
					`the edits of cycle ${cycle}`
				);
				for (const { client } of present) client.destroy();
				await waitFor(
					() => e.collab.openDocuments === 0,
					`the documents of cycle ${cycle} to leave memory`
				);
				await waitFor(
					() => Object.values(e.collab.sizes()).every((n) => n === 0),
					`nothing left after cycle ${cycle}`
				);
				expect(e.collab.sizes()).toEqual(emptied);
			}
			// and nothing was lost on the way
			for (const [d, docName] of docs.entries()) {
				const keys = await e.collab.read(docName, (doc) => [...doc.getMap('marks').keys()]);
				expect(keys).toHaveLength(cycles * 3);
				expect(keys).toContain(`${cycles - 1}:${d + 20}`);
			}
			await waitFor(
				() => Object.values(e.collab.sizes()).every((n) => n === 0),
				'the reads to leave memory'
			);
		}
	);

	it('drops a client that stops reading once its backlog passes the bound, and keeps serving the others', async () => {
		const e = await engine(new PostgresDocStore(bed.db), { maxBacklogBytes: 256 * 1024 });
		const name = newDocName();
		const a = connect(e, name, 'alice');
		const b = connect(e, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		const stuck = await openNonReader(e.url(name), bed.team.bob.token, e.origin);
		await waitFor(() => e.collab.sizes().connections === 3, 'the three connections');

		// a chatty colleague: large edits, well under the rate limit (presence is bounded per entry)
		const chatty = await raw(e, name);
		const big = 'x'.repeat(200_000);
		for (let i = 1; i <= 150 && e.collab.stats.slowConsumers === 0; i++) {
			chatty.send(
				syncMessage(
					2,
					updateOf((doc) => doc.getText('notes').insert(0, `${i}${big}`))
				)
			);
			await sleep(20);
		}
		await waitFor(
			() => e.collab.stats.slowConsumers === 1,
			'the reader that stopped to be dropped',
			10_000
		);
		await waitFor(() => e.collab.sizes().connections === 3, 'its connection to be gone');

		// the process and everyone else go on
		a.doc.getMap('m').set('after', 'still relayed');
		await waitFor(
			() => b.doc.getMap('m').get('after') === 'still relayed',
			'an edit after the drop'
		);
		expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
		expect(chatty.ws.readyState).toBe(chatty.ws.OPEN);
		// once it reads again, it finds its connection closed
		stuck.socket.resume();
		await stuck.gone;
		expect(e.logs.warn.some((line) => line.includes('does not read'))).toBe(true);
	});
});
