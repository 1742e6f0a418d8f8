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

const entry = (docName: string): LogEntry => ({
	docName,
	update: new Uint8Array(10),
	userId: null,
	at: new Date()
});
const options = (maxInFlight: number) => ({
	windowMs: 0,
	maxInFlight,
	retryMs: 10,
	maxRetryMs: 20,
	onError: () => {}
});

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

/** A database error as postgres.js and PGlite raise it: a message and its SQLSTATE. */
function databaseError(code: string, message: string): Error {
	return Object.assign(new Error(message), { code });
}

/**
 * The memory twin refusing, as Postgres would, any batch holding an entry whose first update byte
 * is 0xff (a NUL in the change index: 22P05), and every append while `away` (connection lost).
 * Each append is all or nothing, as one transaction is.
 */
class RefusingStore extends MemoryDocStore {
	away = false;
	attempts: string[][] = [];
	override async append(entries: LogEntry[]): Promise<void> {
		this.attempts.push(entries.map((e) => `${e.docName}:${e.update[1]}`));
		if (this.away) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
		if (entries.some((e) => e.update[0] === 0xff))
			throw databaseError('22P05', 'unsupported Unicode escape sequence');
		return super.append(entries);
	}
}

/** Entry `n` of a document; poisoned ones start with 0xff. */
const numbered = (docName: string, n: number, poisoned = false): LogEntry => ({
	docName,
	update: new Uint8Array([poisoned ? 0xff : 0, n]),
	userId: null,
	at: new Date()
});
const written = (store: MemoryDocStore, docName: string) =>
	(store.log.get(docName) ?? []).map((e) => e.update[1]);

describe('a batch the database refuses', () => {
	it('classifies errors: data and limits isolate, connection and resources are retried', async () => {
		const { isDataError } = await import('../../src/lib/server/collab/engine/committer');
		for (const code of ['22P05', '22021', '22P02', '23505', '42804', '54000'])
			expect(isDataError(databaseError(code, code)), code).toBe(true);
		for (const code of ['08006', '57P01', '53300', '40001', '42P01', 'XX000'])
			expect(isDataError(databaseError(code, code)), code).toBe(false);
		expect(isDataError(new Error('no code'))).toBe(false);
		expect(isDataError(Object.assign(new Error('ECONNRESET'), { code: 'ECONNRESET' }))).toBe(false);
		// drizzle wraps the driver's error
		expect(isDataError(new Error('Failed query', { cause: databaseError('22P05', 'nul') }))).toBe(
			true
		);
	});

	it('writes every other document, and the poisoned one up to its refused entry, in order', async () => {
		const store = new RefusingStore();
		const isolated: string[] = [];
		const committer = new Committer(store, {
			...options(1),
			onIsolated: (doc) => isolated.push(doc)
		});
		// One batch: b's 6th entry (of 10) is refused; a and c are honest.
		const results = [
			...[0, 1, 2].map((n) => committer.submit(numbered('a', n))),
			...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => committer.submit(numbered('b', n, n === 5))),
			...[0, 1].map((n) => committer.submit(numbered('c', n)))
		];
		const saved = await Promise.all(results);
		expect(written(store, 'a')).toEqual([0, 1, 2]);
		expect(written(store, 'c')).toEqual([0, 1]);
		expect(written(store, 'b')).toEqual([0, 1, 2, 3, 4]);
		expect(saved.slice(3, 13)).toEqual([
			true,
			true,
			true,
			true,
			true,
			false,
			false,
			false,
			false,
			false
		]);
		expect(saved.filter((s) => !s)).toHaveLength(5);
		expect(isolated).toEqual(['b']);
		expect(committer.isolatedSince('b')).toBeInstanceOf(Date);
		// Bisecting stays logarithmic: whole batch, 3 parts, then halves of b.
		expect(store.attempts.length).toBeLessThanOrEqual(1 + 3 + 2 * Math.ceil(Math.log2(10)));
		// Nothing is held: no pending bytes, no pending documents, idle resolves.
		expect(committer.pendingBytes).toBe(0);
		expect([...committer.pendingDocs()]).toEqual([]);
		await committer.idle('b');
	});

	it('refuses the isolated document at once until released, and keeps saving the others', async () => {
		const store = new RefusingStore();
		const committer = new Committer(store, options(1));
		expect(await committer.submit(numbered('b', 0, true))).toBe(false);
		const before = store.attempts.length;
		expect(await committer.submit(numbered('b', 1))).toBe(false);
		expect(store.attempts.length).toBe(before); // never reached the store
		expect(await committer.submit(numbered('a', 0))).toBe(true);
		committer.release('b');
		expect(await committer.submit(numbered('b', 2))).toBe(true);
		expect(written(store, 'b')).toEqual([2]);
	});

	it('four poisoned documents never take the commit slots from an honest one', async () => {
		const store = new RefusingStore();
		const committer = new Committer(store, options(4));
		const poison = ['p1', 'p2', 'p3', 'p4'].map((doc) => committer.submit(numbered(doc, 0, true)));
		const honest: Promise<boolean>[] = [];
		for (let n = 0; n < 20; n++) {
			honest.push(committer.submit(numbered('honest', n)));
			await sleep(1);
		}
		expect(await Promise.all(poison)).toEqual([false, false, false, false]);
		expect((await Promise.all(honest)).every(Boolean)).toBe(true);
		expect(written(store, 'honest')).toEqual([...Array(20).keys()]);
	});

	it('retries a batch whole while the database is away, then still isolates only the poisoned part', async () => {
		const store = new RefusingStore();
		let retries = 0;
		const committer = new Committer(store, { ...options(1), onError: () => retries++ });
		store.away = true;
		const results = [
			committer.submit(numbered('a', 0)),
			committer.submit(numbered('b', 0, true)),
			committer.submit(numbered('a', 1))
		];
		await sleep(60);
		expect(retries).toBeGreaterThan(1);
		expect(committer.isolatedSince('b')).toBeNull(); // a connection error isolates nothing
		expect(store.log.size).toBe(0);
		store.away = false;
		expect(await Promise.all(results)).toEqual([true, false, true]);
		expect(written(store, 'a')).toEqual([0, 1]);
		expect(written(store, 'b')).toEqual([]);
	});
});
