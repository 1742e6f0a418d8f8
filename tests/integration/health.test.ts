import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putShift, putVisit } from '../../src/lib/collab/rota';
import { todayIn } from '../../src/lib/domain/time-zone';
import { governanceMirror } from '../../src/lib/server/collab/governance';
import { Projections } from '../../src/lib/server/collab/projections';
import type { CollabServer } from '../../src/lib/server/collab/server';
import { coaching, healthWeek, membership, team } from '../../src/lib/server/db/schema';
import * as decisions from '../../src/lib/server/governance/decisions';
import {
	CURRENT_FRESH_MS,
	dashboard,
	refreshWeek,
	teamHealth,
	weeksShown
} from '../../src/lib/server/health/health';
import * as teams from '../../src/lib/server/teams/teams';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';
import { addDays, addWeeks, mondayOf, weekOf } from '../../src/lib/domain/week';

// Health figures from real records (rota documents projected into the read model, decisions
// through the server module) on a real database, stored per week, and the coach's dashboard.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let collab: CollabServer;
let projections: Projections;
const people = {} as Record<'aicha' | 'camille' | 'sophie' | 'coach' | 'pending', { id: string }>;
let teamA: string;
let teamB: string;
let teamC: string;
const WEEK = weekOf(todayIn());
const MONDAY = mondayOf(WEEK)!;

beforeAll(async () => {
	database = await createTestDatabase();
	const db = database.db;
	people.aicha = await personWithSession(db, 'Aïcha Benali', 'aicha@example.org');
	people.camille = await personWithSession(db, 'Camille Lefèvre', 'camille@example.org');
	people.sophie = await personWithSession(db, 'Sophie Garnier', 'sophie@example.org');
	people.coach = await personWithSession(db, 'Claire Morel', 'claire@example.org');
	people.pending = await personWithSession(db, 'Paul Attente', 'paul@example.org');
	teamA = await teams.create(db, { name: 'Équipe A', creatorId: people.aicha.id, ...nurse });
	teamB = await teams.create(db, { name: 'Équipe B', creatorId: people.sophie.id, ...nurse });
	teamC = await teams.create(db, { name: 'Équipe C', creatorId: people.sophie.id, ...nurse });
	await db.insert(membership).values({ teamId: teamA, userId: people.camille.id, ...nurse });
	await db.insert(coaching).values([
		{ teamId: teamA, userId: people.coach.id, status: 'active' },
		{ teamId: teamB, userId: people.coach.id, status: 'pending' },
		{ teamId: teamC, userId: people.pending.id, status: 'pending' }
	]);
	harness = await startCollab(db);
	collab = harness.collab;
	projections = new Projections(db, collab, { delayMs: 0 });
});

afterAll(async () => {
	await harness?.stop();
	await projections?.stop();
	await database?.dispose();
});

const visit = (id: string, day: number, carerId: string | null, start = 9 * 60, minutes = 60) => ({
	id,
	clientId: `client-${id}`,
	date: addDays(MONDAY, day),
	start,
	minutes,
	carerId,
	qualification: 'any' as const,
	changedAt: null
});

describe('figures from real records', () => {
	it('shows a week’s unassigned visits, hours and time with clients from the rota', async () => {
		const docName = `team/${teamA}/rota/${WEEK}`;
		await collab.change(docName, (doc) => {
			putVisit(doc, visit('v1', 0, people.aicha.id));
			putVisit(doc, visit('v2', 1, people.camille.id, 9 * 60, 120));
			putVisit(doc, visit('v3', 2, null));
			putVisit(doc, visit('v4', 3, null));
			putShift(doc, {
				id: 's1',
				memberId: people.aicha.id,
				kind: 'office',
				date: addDays(MONDAY, 1),
				start: 14 * 60,
				minutes: 60,
				changedAt: null
			});
		});
		await projections.refresh(docName);
		const health = await teamHealth(database.db, teamA, { documents: collab });
		const current = health!.weeks.at(-1)!;
		expect(current.week).toBe(WEEK);
		expect(current.figures?.rota).toEqual({ visits: 4, assigned: 2, coverage: 0.5, unassigned: 2 });
		expect(current.figures?.hours).toMatchObject({ workedMinutes: 240, contractMinutes: 4200 });
		expect(current.figures?.clientTime).toEqual({
			visitMinutes: 180,
			workedMinutes: 240,
			share: 0.75
		});
		expect(current.figures?.members).toBe(2);
		const unassigned = health!.signals.find((s) => s.key === 'coverage');
		expect(unassigned).toMatchObject({ week: WEEK, value: 0.5, colour: 'red' });
		expect(health!.attention).toContain('coverage');
		// Stored for the week, as computed.
		const [row] = await database.db
			.select()
			.from(healthWeek)
			.where(and(eq(healthWeek.teamId, teamA), eq(healthWeek.week, WEEK)));
		expect(row?.figures.rota.unassigned).toBe(2);
	});

	it('counts an adopted decision: its round, its time to outcome', async () => {
		const mirror = governanceMirror(collab);
		const d = await decisions.propose(database.db, mirror, {
			teamId: teamA,
			proposerId: people.aicha.id,
			title: 'Réunion le mardi',
			driver: 'Le jeudi ne va plus',
			text: 'La réunion passe au mardi.',
			area: 'team',
			reviewDate: '2099-01-01',
			mode: 'meeting'
		});
		const moves = [
			{ userId: people.aicha.id, move: { type: 'open-round' as const } },
			{
				userId: people.aicha.id,
				move: { type: 'answer' as const, version: 1, kind: 'consent' as const, reason: '' }
			},
			{
				userId: people.camille.id,
				move: { type: 'answer' as const, version: 1, kind: 'consent' as const, reason: '' }
			}
		];
		for (const m of moves) {
			const result = await decisions.move(database.db, mirror, {
				teamId: teamA,
				decisionId: d.id,
				...m
			});
			expect(result.ok).toBe(true);
		}
		// Recomputed now (the stored current week is younger than CURRENT_FRESH_MS).
		const { figures } = await refreshWeek(database.db, teamA, WEEK, { documents: collab });
		expect(figures.participation).toEqual({ rounds: 1, answered: 2, expected: 2, share: 1 });
		expect(figures.decisionDays.decided).toBe(1);
		expect(figures.decisionDays.medianDays).toBe(0);
	});

	it('keeps a closed week once stored, and recomputes the current one only when stale', async () => {
		const db = database.db;
		const lastWeek = addWeeks(WEEK, -1);
		const sunday = addDays(mondayOf(lastWeek)!, 6);
		// Stored after the week ended: final. Changing the records changes nothing stored.
		const stored = await refreshWeek(db, teamA, lastWeek, { documents: collab });
		expect(stored.figures.rota.visits).toBe(0);
		const previousDoc = `team/${teamA}/rota/${lastWeek}`;
		await collab.change(previousDoc, (doc) =>
			putVisit(doc, { ...visit('old', 0, null), date: sunday })
		);
		await projections.refresh(previousDoc);
		const again = await teamHealth(db, teamA, { documents: collab });
		expect(again!.weeks.at(-2)!.figures?.rota.visits).toBe(0);
		// The current week: kept while fresh, recomputed once stale.
		await collab.change(`team/${teamA}/rota/${WEEK}`, (doc) => putVisit(doc, visit('v5', 4, null)));
		await projections.refresh(`team/${teamA}/rota/${WEEK}`);
		const fresh = await teamHealth(db, teamA, { documents: collab });
		expect(fresh!.weeks.at(-1)!.figures?.rota.unassigned).toBe(2);
		const later = new Date(Date.now() + CURRENT_FRESH_MS + 1000);
		const stale = await teamHealth(db, teamA, { documents: collab, now: later });
		expect(stale!.weeks.at(-1)!.figures?.rota.unassigned).toBe(3);
	});

	it('a team with no records has its weeks before it began empty, not invented', async () => {
		const health = await teamHealth(database.db, teamC, { documents: collab });
		expect(health!.weeks).toHaveLength(9);
		// Created this week: the weeks before it are null, the current week is computed.
		expect(health!.weeks.slice(0, -1).every((w) => w.figures === null)).toBe(true);
		expect(health!.weeks.at(-1)!.figures?.members).toBe(1);
		expect(weeksShown(new Date()).at(-1)).toBe(WEEK);
	});
});

describe('the coach’s dashboard', () => {
	it('lists only the teams with active coaching for this coach', async () => {
		const rows = await dashboard(database.db, people.coach.id, { documents: collab });
		expect(rows.map((r) => r.teamId)).toEqual([teamA]);
		const row = rows[0]!;
		expect(row.name).toBe('Équipe A');
		expect(row.weeks).toHaveLength(9);
		expect(row.series.unassigned.at(-1)).toBe(3);
		expect(row.score).toBeGreaterThan(0);
		expect(row.attention[0]).toBe('coverage');
	});

	it('shows figures only: no client, no member, no decision', async () => {
		const rows = await dashboard(database.db, people.coach.id, { documents: collab });
		const text = JSON.stringify(rows);
		for (const secret of ['client-v1', people.aicha.id, 'Aïcha', 'Réunion le mardi'])
			expect(text).not.toContain(secret);
	});

	it('shows a pending coach nothing, and a removed coach nothing', async () => {
		expect(await dashboard(database.db, people.pending.id, { documents: collab })).toEqual([]);
		await database.db
			.delete(coaching)
			.where(and(eq(coaching.teamId, teamA), eq(coaching.userId, people.coach.id)));
		expect(await dashboard(database.db, people.coach.id, { documents: collab })).toEqual([]);
		// An outsider with no coaching at all: nothing either.
		expect(await dashboard(database.db, people.camille.id, { documents: collab })).toEqual([]);
	});

	it('sorts several teams by what needs attention', async () => {
		const db = database.db;
		await db.insert(coaching).values([
			{ teamId: teamA, userId: people.coach.id, status: 'active' },
			{ teamId: teamC, userId: people.coach.id, status: 'active' }
		]);
		await db.update(team).set({ name: 'Équipe 0 calme' }).where(eq(team.id, teamC));
		const rows = await dashboard(db, people.coach.id, { documents: collab });
		expect(rows.map((r) => r.teamId)).toEqual([teamA, teamC]);
		expect(rows[0]!.score).toBeGreaterThan(rows[1]!.score);
	});
});
