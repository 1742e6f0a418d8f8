import { describe, expect, it } from 'vitest';
import { Committer } from '../../src/lib/server/collab/engine/committer';
import { StorageStatus } from '../../src/lib/server/collab/engine/storage-status';
import { MemoryDocStore } from '../../src/lib/server/collab/engine/memory-store';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The real committer on the memory store (with its failing switch), watched by a StorageStatus. */
function watched(stallMs: number) {
	const store = new MemoryDocStore();
	const told: [string, string | null][] = [];
	const committer = new Committer(store, {
		windowMs: 0,
		maxInFlight: 2,
		retryMs: 10,
		maxRetryMs: 20,
		onError: () => {}
	});
	const status = new StorageStatus(committer, {
		stallMs,
		everyMs: 10,
		publish: (docName, since) => told.push([docName, since === null ? null : since.toISOString()])
	});
	let seq = 0;
	const submit = (docName: string) =>
		committer.submit({
			docName,
			seq: ++seq,
			update: new Uint8Array(100),
			userId: null,
			at: new Date()
		});
	return { store, committer, status, told, submit };
}

describe('the storage status', () => {
	it('marks the documents with unsaved updates once a commit fails, and clears each once saved', async () => {
		const w = watched(60_000);
		w.store.failing = true;
		const saved = [w.submit('a'), w.submit('b')];
		await sleep(30);
		expect(w.told.map(([doc, since]) => [doc, since !== null]).sort()).toEqual([
			['a', true],
			['b', true]
		]);
		expect(w.committer.pendingBytes).toBe(200);
		w.store.failing = false;
		await Promise.all(saved);
		expect(w.told.slice(2).sort()).toEqual([
			['a', null],
			['b', null]
		]);
		expect(w.status.unavailable).toBe(0);
		expect(w.committer.pendingBytes).toBe(0);
		expect(w.committer.failingSince).toBeNull();
		w.status.stop();
	});

	it('says nothing while commits work, and marks a stall before any failure', async () => {
		const w = watched(50);
		await w.submit('a');
		await sleep(20);
		expect(w.told).toEqual([]);
		// a database that hangs: the append never answers until released
		let release = () => {};
		const append = w.store.append.bind(w.store);
		w.store.append = async (entries) => {
			await new Promise<void>((resolve) => (release = resolve));
			return append(entries);
		};
		const saved = w.submit('b');
		await sleep(100);
		expect(w.told.map(([doc]) => doc)).toEqual(['b']);
		release();
		await saved;
		expect(w.told.at(-1)).toEqual(['b', null]);
		w.status.stop();
	});
});
