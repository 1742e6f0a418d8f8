import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { absencesDocument, readAbsences } from '../../src/lib/collab/absences';
import { putVisit, readWeek } from '../../src/lib/collab/rota';
import type { Visit } from '../../src/lib/domain/rota';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { CollabServer } from '../../src/lib/server/collab/server';
import { rotaTake } from '../../src/lib/server/db/schema';
import { callInSick, take } from '../../src/lib/server/rota/replan';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';
import { CARE_AIDE, formTeam } from '../helpers/team';

// Same-day re-planning on a real database and collab server: a sick call puts the visits to cover
// (a colleague's open grid sees it), and taking one is first come, first served, even when two
// instances hold their own copy of the week.

const WEEK = '2026-W49';
const DOC = (teamId: string) => `team/${teamId}/rota/${WEEK}`;
// Wednesday 2 December 2026, 10:00 in Paris.
const NOW = new Date('2026-12-02T09:00:00Z');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let collab: CollabServer;
const clients: Client[] = [];
let n = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	harness = await startCollab(database.db);
	collab = harness.collab;
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

/**
 * A team of a nurse who falls sick, another nurse and a care aide; her visits that day, with
 * `extra` ones (any care) besides.
 */
async function team(extra: { id: string; start: number }[] = []) {
	const people = {
		aicha: await personWithSession(database.db, 'Aïcha', `r${++n}a@example.org`),
		marc: await personWithSession(database.db, 'Marc', `r${n}m@example.org`),
		sophie: await personWithSession(database.db, 'Sophie', `r${n}s@example.org`)
	};
	const teamId = await formTeam(
		database.db,
		people.aicha,
		[people.marc, [people.sophie, CARE_AIDE]],
		`Équipe ${n}`
	);
	const visit = (id: string, start: number, qualification: Visit['qualification']): Visit => ({
		id,
		clientId: 'roux',
		date: '2026-12-02',
		start,
		minutes: 30,
		carerId: people.aicha.id,
		qualification,
		changedAt: null,
		offer: null,
		cover: null
	});
	await collab.change(DOC(teamId), (doc) => {
		putVisit(doc, visit('done', 8 * 60, 'any'));
		putVisit(doc, visit('later', 14 * 60, 'any'));
		putVisit(doc, visit('dressing', 16 * 60, 'nurse'));
		for (const { id, start } of extra) putVisit(doc, visit(id, start, 'any'));
	});
	return { teamId, people };
}

const carerOf = async (teamId: string, id: string) =>
	(await collab.read(DOC(teamId), readWeek)).visits.find((v) => v.id === id);

describe('a sick call', () => {
	it('records the absence on the board and puts the visits not started to cover, live', async () => {
		const { teamId, people } = await team();
		const grid = openDocument(harness.origin, DOC(teamId), people.sophie.token);
		clients.push(grid);
		await grid.synced;

		// Marc records it for Aïcha, who phoned in.
		const result = await callInSick(database.db, collab, {
			teamId,
			memberId: people.aicha.id,
			recordedBy: people.marc.id,
			extraDays: 0,
			now: NOW
		});
		expect(result).toEqual({ ok: true, covered: 2 });
		const absences = await collab.read(absencesDocument(teamId), readAbsences);
		expect(absences).toMatchObject([
			{ memberId: people.aicha.id, kind: 'sickness', from: '2026-12-02', startsAt: 600 }
		]);
		await waitFor(
			() => readWeek(grid.doc).visits.filter((v) => v.cover != null).length === 2,
			'the visits to cover on the colleague’s grid'
		);
		const week = readWeek(grid.doc).visits;
		expect(week.map((v) => [v.id, v.carerId, v.cover?.from ?? null])).toEqual([
			['done', people.aicha.id, null],
			['later', null, people.aicha.id],
			['dressing', null, people.aicha.id]
		]);
	});

	it('refuses someone outside the team', async () => {
		const { teamId } = await team();
		const outsider = await personWithSession(database.db, 'Dehors', `r${++n}o@example.org`);
		expect(
			await callInSick(database.db, collab, {
				teamId,
				memberId: outsider.id,
				recordedBy: outsider.id,
				extraDays: 0,
				now: NOW
			})
		).toEqual({ ok: false, reason: 'not-a-member' });
	});
});

describe('taking a visit to cover', () => {
	async function sickTeam(extra: { id: string; start: number }[] = []) {
		const t = await team(extra);
		await callInSick(database.db, collab, {
			teamId: t.teamId,
			memberId: t.people.aicha.id,
			recordedBy: t.people.aicha.id,
			extraDays: 0,
			now: NOW
		});
		return t;
	}

	it('goes to the first of two colleagues who tap at once; the other is told it is taken', async () => {
		const { teamId, people } = await sickTeam();
		const outcomes = await Promise.all(
			[people.marc.id, people.sophie.id].map((takerId) =>
				take(database.db, collab, { teamId, week: WEEK, visitId: 'later', takerId, now: NOW })
			)
		);
		expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
		expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, reason: 'not-offered' }]);
		const winner = outcomes[0]!.ok ? people.marc.id : people.sophie.id;
		expect(await carerOf(teamId, 'later')).toMatchObject({ carerId: winner, cover: null });
	});

	it('takes a visit whose id Postgres cannot hold, once', async () => {
		// Any member may give a visit any id (a NUL, 5,000 characters): its claim is stored as
		// Postgres can hold it, not a failed take.
		const odd = `odd\u0000${'x'.repeat(5_000)}`;
		const { teamId, people } = await sickTeam([{ id: odd, start: 18 * 60 }]);
		const taking = (takerId: string) =>
			take(database.db, collab, { teamId, week: WEEK, visitId: odd, takerId, now: NOW });
		expect(await taking(people.marc.id)).toEqual({ ok: true });
		expect(await taking(people.sophie.id)).toEqual({ ok: false, reason: 'not-offered' });
		expect(await carerOf(teamId, odd)).toMatchObject({ carerId: people.marc.id, cover: null });
	});

	it('goes to one taker even when two instances each hold their own copy of the week', async () => {
		const { teamId, people } = await sickTeam();
		const other = new CollabServer({
			store: new PostgresDocStore(database.db),
			authorize: async () => ({ ok: false, status: 403, reason: 'test' }),
			log: { info: () => {}, warn: () => {}, error: () => {} }
		});
		try {
			// Both instances see the visit to cover before either takes it.
			expect(
				(await other.read(DOC(teamId), readWeek)).visits.find((v) => v.id === 'later')
			).toMatchObject({ carerId: null });
			const outcomes = await Promise.all([
				take(database.db, collab, {
					teamId,
					week: WEEK,
					visitId: 'later',
					takerId: people.marc.id,
					now: NOW
				}),
				take(database.db, other, {
					teamId,
					week: WEEK,
					visitId: 'later',
					takerId: people.sophie.id,
					now: NOW
				})
			]);
			expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
			const claims = await database.db.select().from(rotaTake);
			expect(claims.filter((c) => c.teamId === teamId)).toHaveLength(1);
		} finally {
			await other.close();
		}
	});

	it('refuses by rule, in a reason the page turns into words, and leaves it for the next', async () => {
		const { teamId, people } = await sickTeam();
		expect(
			await take(database.db, collab, {
				teamId,
				week: WEEK,
				visitId: 'dressing',
				takerId: people.sophie.id,
				now: NOW
			})
		).toMatchObject({ ok: false, reason: 'qualification', needs: 'nurse' });
		// The sick nurse cannot take her own visit back as a cover.
		expect(
			await take(database.db, collab, {
				teamId,
				week: WEEK,
				visitId: 'dressing',
				takerId: people.aicha.id,
				now: NOW
			})
		).toMatchObject({ ok: false, reason: 'own-visit' });
		expect(
			await take(database.db, collab, {
				teamId,
				week: WEEK,
				visitId: 'dressing',
				takerId: people.marc.id,
				now: NOW
			})
		).toEqual({ ok: true });
		expect(await carerOf(teamId, 'dressing')).toMatchObject({ carerId: people.marc.id });
	});
});
