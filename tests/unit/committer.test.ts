import { describe, expect, it } from 'vitest';
import { Committer } from '../../src/lib/server/collab/engine/committer';
import { MemoryDocStore } from '../../src/lib/server/collab/engine/memory-store';
import type { LogEntry } from '../../src/lib/server/collab/engine/store';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The memory store, with its first append held until released (a database stalling once). */
function stallingOnce() {
	const store = new MemoryDocStore();
	const append = store.append.bind(store);
	let release: () => void = () => {};
	const held = new Promise<void>((resolve) => (release = resolve));
	let calls = 0;
	store.append = async (entries: LogEntry[]) => {
		if (++calls === 1) await held;
		return append(entries);
	};
	return { store, release, calls: () => calls };
}

const entry = (docName: string): LogEntry => ({ docName, update: new Uint8Array(10), userId: null, at: new Date() });
const options = (maxInFlight: number) => ({ windowMs: 0, maxInFlight, retryMs: 10, maxRetryMs: 20, onError: () => {} });

describe('the group commit', () => {
	it('does not hold an update behind a stalled batch while another commit may run', async () => {
		const { store, release } = stallingOnce();
		const committer = new Committer(store, options(2));
		const first = committer.submit(entry('a'));
		await sleep(5); // the first batch is now written, and stalls
		let secondDone = false;
		const second = committer.submit(entry('b')).then(() => (secondDone = true));
		await sleep(30);
		expect(secondDone).toBe(true);
		expect(store.log.get('b')).toHaveLength(1);
		// idle() of the stalled document still waits for it
		let idle = false;
		void committer.idle('a').then(() => (idle = true));
		await sleep(10);
		expect(idle).toBe(false);
		release();
		await Promise.all([first, second]);
		await sleep(0);
		expect(idle).toBe(true);
		expect(store.log.get('a')).toHaveLength(1);
	});

	it('queues behind the running batch when only one may run, and batches what waits', async () => {
		const { store, release, calls } = stallingOnce();
		const committer = new Committer(store, options(1));
		const first = committer.submit(entry('a'));
		await sleep(5);
		const waiting = [committer.submit(entry('b')), committer.submit(entry('c'))];
		await sleep(30);
		expect(store.log.has('b')).toBe(false);
		release();
		await Promise.all([first, ...waiting]);
		expect([...store.log.keys()].sort()).toEqual(['a', 'b', 'c']);
		// b and c went together, in the batch after a's
		expect(calls()).toBe(2);
	});
});
