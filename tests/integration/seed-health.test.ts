import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adviceMirror, governanceMirror } from '../../src/lib/server/collab/governance';
import { Projections } from '../../src/lib/server/collab/projections';
import { CollabServer } from '../../src/lib/server/collab/server';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { FIGURE_KEYS, THRESHOLDS } from '../../src/lib/domain/health';
import { coaching } from '../../src/lib/server/db/schema';
import * as health from '../../src/lib/server/health/health';
import { seedDemo } from '../../src/lib/server/seed/demo';
import { createTestDatabase } from '../helpers/database';

// The whole demo seeded as the server seeds it, then read as the coach reads it: the steady team
// must read healthy and the sliding one sliding, by the documented thresholds.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let collab: CollabServer;
let projections: Projections;

beforeAll(async () => {
	database = await createTestDatabase();
	collab = new CollabServer({
		store: new PostgresDocStore(database.db),
		authorize: async () => ({ ok: false, status: 401, reason: 'no sockets in this test' }),
		log: { info: () => {}, warn: () => {}, error: (...args: unknown[]) => console.error(...args) },
		// As the app does (src/lib/server/collab/instance.ts): the figures read the visits' read model.
		onCommit: (docName) => projections.notify(docName)
	});
	projections = new Projections(database.db, collab);
	await seedDemo(database.db, {
		collab,
		decisionMirror: governanceMirror(collab),
		adviceMirror: adviceMirror(collab)
	});
	await projections.settle();
}, 120_000);

afterAll(async () => {
	await health.settleHealth();
	await collab?.close();
	await projections?.stop();
	await database?.dispose();
});

describe('the demo health figures', () => {
	it('read the steady team as healthy and the sliding team as sliding', async () => {
		const [row] = await database.db.select({ coachId: coaching.userId }).from(coaching);
		const rows = await health.dashboard(database.db, row!.coachId, { documents: collab });
		const red = (name: string) =>
			rows
				.find((r) => r.name === name)!
				.signals.filter((s) => s.colour === 'red')
				.map((s) => s.key);
		// The steady team: every figure green, and none getting worse, so nothing to watch; a
		// review waiting for the meeting is ordinary, its rota is covered but for a couple of visits,
		// its hours are even across members and no rest is broken.
		const steady = rows.find((r) => r.name === 'Équipe Croix-Rousse')!;
		const withThreshold = FIGURE_KEYS.filter((key) => THRESHOLDS[key].kind !== 'none');
		for (const key of withThreshold) {
			const signal = steady.signals.find((s) => s.key === key);
			expect(signal?.colour, key).toBe('green');
			expect(signal?.trend, key).not.toBe('worse');
		}
		expect(steady.signals.find((s) => s.key === 'restBreaches')?.value).toBe(0);
		expect(steady.attention).toEqual([]);
		expect(steady.score).toBe(0);
		// The sliding team: its voices fade and its decisions stall, and the coach sees it first.
		expect(red('Équipe Villeurbanne Nord')).toEqual(
			expect.arrayContaining(['participation', 'decisionDays'])
		);
		// Its rota breaks a rest rule this week (the short night its rota page shows).
		const sliding = rows.find((r) => r.name === 'Équipe Villeurbanne Nord')!;
		expect(sliding.signals.find((s) => s.key === 'restBreaches')?.colour).not.toBe('green');
		expect(sliding.attention).toEqual(expect.arrayContaining(['restBreaches', 'hoursSpread']));
		expect(rows.map((r) => r.name)).toEqual(['Équipe Villeurbanne Nord', 'Équipe Croix-Rousse']);
	});
});
