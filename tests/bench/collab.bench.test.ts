// Figures for the live board engine, printed, never asserted against a time (machines are noisy):
//   npm run bench                      (PGlite)
//   KRING_TEST_DB=postgres TEST_DATABASE_URL=postgres://… npm run bench   (real Postgres)
// Needs a build (`npm run build`) for the end-to-end part.
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { replayStored } from '../../src/lib/server/collab/engine/room';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { createTestDatabase, testTarget } from '../helpers/database';
import { openDocument, waitFor } from '../helpers/collab-client';
import { demo, logInAs, teamIdsOf } from '../helpers/demo';
import { scratchDocName } from '../helpers/scratch-doc';
import { startServer, type RunningServer } from '../helpers/server';
import { ensureBuilt } from './lib/app-build';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
	for (const fn of cleanup.reverse()) await fn();
});

function summary(samples: number[]): string {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
	return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, max ${at(1).toFixed(2)} ms (n=${samples.length})`;
}

describe(`live board figures on ${testTarget()}`, () => {
	it('an edit reaches the other client only after it is in the update log', async () => {
		await ensureBuilt();
		const server: RunningServer = await startServer();
		cleanup.push(() => server.stop());
		const a = await logInAs(server.origin, demo.memberA);
		const b = await logInAs(server.origin, demo.secondMemberA);
		const teamId = (await teamIdsOf(a))[0]!;
		const doc = scratchDocName(teamId, 0);
		const writer = openDocument(server.origin, doc, a.sessionCookie!);
		const reader = openDocument(server.origin, doc, b.sessionCookie!);
		cleanup.push(async () => {
			writer.destroy();
			reader.destroy();
		});
		await Promise.all([writer.synced, reader.synced]);
		const samples: number[] = [];
		const list = reader.doc.getArray<number>('n');
		for (let i = 0; i < 300; i++) {
			const arrived = new Promise<void>((resolve) => reader.doc.once('update', () => resolve()));
			const started = performance.now();
			writer.doc.getArray<number>('n').push([i]);
			await arrived;
			samples.push(performance.now() - started);
		}
		await waitFor(() => list.length === 300, 'all edits');
		console.info(
			`[bench] edit → durable in the log → relayed to another client: ${summary(samples)}`
		);
		expect(list.length).toBe(300);
	});

	it('loading a document after 10,000 updates, with and without compaction', async () => {
		const database = await createTestDatabase();
		cleanup.push(() => database.dispose());
		const store = new PostgresDocStore(database.db);
		const name = 'team/bench/caseload';
		const source = new Y.Doc();
		const updates: Uint8Array[] = [];
		source.on('update', (u: Uint8Array) => updates.push(u));
		const text = source.getText('notes');
		for (let i = 0; i < 10_000; i++) {
			if (i % 3 === 0) source.getMap('cards').set(`card-${i % 200}`, `visite ${i}`);
			else text.insert(text.length, `${i % 10}`);
		}
		const batch = 500;
		for (let i = 0; i < updates.length; i += batch) {
			await store.append(
				updates.slice(i, i + batch).map((update, j) => ({
					docName: name,
					seq: i + j + 1,
					update,
					userId: null,
					at: new Date()
				}))
			);
		}

		const load = async () => {
			const started = performance.now();
			const stored = await store.load(name);
			const doc = new Y.Doc({ gc: true });
			replayStored(doc, stored);
			const ms = performance.now() - started;
			const content = doc.getText('notes').toString();
			doc.destroy();
			return { ms, content, logged: stored.updates.length };
		};
		const runs = async () => {
			const out = [];
			for (let i = 0; i < 5; i++) out.push(await load());
			return out;
		};
		const raw = await runs();
		const state = Y.encodeStateAsUpdate(source);
		await store.compact(
			name,
			state,
			Array.from(updates, (_, i) => i + 1),
			0
		);
		const compacted = await runs();
		console.info(
			`[bench] load after 10,000 updates: log only ${summary(raw.map((r) => r.ms))}; ` +
				`compacted (${state.byteLength} bytes) ${summary(compacted.map((r) => r.ms))}`
		);
		expect(raw[0]!.logged).toBe(10_000);
		expect(compacted[0]!.logged).toBe(0);
		expect(compacted[0]!.content).toBe(raw[0]!.content);
		expect(raw[0]!.content).toBe(text.toString());
	});
});
