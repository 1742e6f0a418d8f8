import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Colour } from '../../src/lib/domain/pulse';
import { pulseAnswer, pulseResponse } from '../../src/lib/server/db/schema';
import * as pulse from '../../src/lib/server/health/pulse';
import * as seed from '../../src/lib/server/seed/people';
import {
	DEMO_PULSE_UNSHOWN_WORDS,
	DEMO_PULSE_WORDS,
	writeDemoPulse
} from '../../src/lib/server/seed/pulse';
import { createTestDatabase } from '../helpers/database';

// The anonymous pulse on a real database: what is stored, what closing a week does, what is shown.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let teamA: { id: string; members: string[] };
let teamB: { id: string; members: string[] };
let allUserIds: string[];

/** Wednesday of 2026-W48, in Paris. */
const NOW = new Date('2026-11-25T10:00:00Z');
const WEEK = '2026-W48';
/** Monday of the week after: W48 has ended. */
const NEXT_WEEK = new Date('2026-11-30T08:00:00Z');

const answers = (colour: Colour) => ({
	energy: colour,
	workload: colour,
	teamwork: colour,
	decisions: colour
});

async function answerAs(
	teamId: string,
	userId: string,
	week: string,
	at: Date,
	colour: Colour = 'green',
	word: string | null = null
) {
	return pulse.answer(database.db, { teamId, userId, week, ...answers(colour), word }, at);
}

/** Every row of the week, in physical (heap) order. */
async function storedRows(teamId: string, week: string) {
	const result = await database.db.execute(
		sql`select * from pulse_answer where team_id = ${teamId} and week = ${week} order by ctid`
	);
	return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
		string,
		unknown
	>[];
}

async function responseCount(teamId: string, week: string): Promise<number> {
	const rows = await database.db
		.select()
		.from(pulseResponse)
		.where(and(eq(pulseResponse.teamId, teamId), eq(pulseResponse.week, week)));
	return rows.length;
}

beforeAll(async () => {
	database = await createTestDatabase();
	const demo = await seed.demo(database.db);
	const [a, b] = demo.teams;
	teamA = { id: a!.id, members: a!.members.map((m) => m.id) };
	teamB = { id: b!.id, members: b!.members.map((m) => m.id) };
	allUserIds = demo.teams.flatMap((t) => t.members.map((m) => m.id));
});

afterAll(async () => {
	await database?.dispose();
});

describe('answering the pulse', () => {
	it('takes one answer per member per week, and only from members, only for this week', async () => {
		const [first, second] = teamA.members;
		expect(await answerAs(teamA.id, first!, WEEK, NOW, 'green', 'Première')).toBe('saved');
		expect(await answerAs(teamA.id, first!, WEEK, NOW, 'red')).toBe('already_answered');
		expect(
			await pulse.hasAnswered(database.db, { teamId: teamA.id, userId: first!, week: WEEK })
		).toBe(true);
		expect(
			await pulse.hasAnswered(database.db, { teamId: teamA.id, userId: second!, week: WEEK })
		).toBe(false);
		// Two answers sent at once by the same person: one counts.
		const twice = await Promise.all([
			answerAs(teamA.id, second!, WEEK, NOW, 'amber'),
			answerAs(teamA.id, second!, WEEK, NOW, 'red')
		]);
		expect(twice.sort()).toEqual(['already_answered', 'saved']);
		// A member of another team, a past week, a future week.
		expect(await answerAs(teamA.id, teamB.members[0]!, WEEK, NOW)).toBe('not_member');
		expect(await answerAs(teamA.id, teamA.members[2]!, '2026-W47', NOW)).toBe('not_this_week');
		expect(await answerAs(teamA.id, teamA.members[2]!, '2026-W49', NOW)).toBe('not_this_week');
		expect(await storedRows(teamA.id, WEEK)).toHaveLength(2);
		expect(await responseCount(teamA.id, WEEK)).toBe(2);
	});

	it('stores answers with no user id and no time', async () => {
		const columns = await database.db.execute(
			sql`select column_name, data_type from information_schema.columns where table_name = 'pulse_answer'`
		);
		const list = (Array.isArray(columns) ? columns : (columns as { rows: unknown[] }).rows) as {
			column_name: string;
			data_type: string;
		}[];
		expect(list.map((c) => c.column_name).sort()).toEqual(
			['decisions', 'energy', 'id', 'team_id', 'teamwork', 'week', 'word', 'workload'].sort()
		);
		expect(list.filter((c) => /time|date/.test(c.data_type))).toEqual([]);
		const rows = await storedRows(teamA.id, WEEK);
		for (const row of rows) {
			for (const value of Object.values(row)) {
				for (const userId of allUserIds) expect(String(value)).not.toContain(userId);
			}
		}
		// The response says who answered, never what.
		const responses = await database.db.select().from(pulseResponse);
		expect(Object.keys(responses[0]!).sort()).toEqual(['teamId', 'userId', 'week']);
	});

	it('shows nothing for a week that is still open, even past five answers', async () => {
		for (const userId of teamA.members.slice(2, 6)) {
			expect(await answerAs(teamA.id, userId, WEEK, NOW, 'amber', `mot de ${userId}`)).toBe(
				'saved'
			);
		}
		expect(await storedRows(teamA.id, WEEK)).toHaveLength(6);
		expect(await pulse.weekFigure(database.db, teamA.id, WEEK, NOW)).toBeNull();
		expect(await pulse.weekWords(database.db, teamA.id, WEEK, NOW)).toBeNull();
		// Reading an open week closes nothing.
		expect(await pulse.closeWeek(database.db, teamA.id, WEEK, NOW)).toBe(false);
		expect(await responseCount(teamA.id, WEEK)).toBe(6);
		const recent = await pulse.recentWeeks(database.db, teamA.id, { now: NOW, words: true });
		expect(recent.map((w) => w.week)).not.toContain(WEEK);
	});
});

describe('closing a week', () => {
	it('deletes who answered and rewrites the answers in a new order with new ids', async () => {
		// Eight answers in a known order: words tell them apart.
		const week = '2026-W45';
		const at = new Date('2026-11-03T09:00:00Z');
		const words = teamA.members.slice(0, 8).map((_, i) => `réponse ${i}`);
		for (const [i, userId] of teamA.members.slice(0, 8).entries()) {
			expect(
				await answerAs(teamA.id, userId, week, at, i % 2 === 0 ? 'green' : 'red', words[i]!)
			).toBe('saved');
		}
		const before = await storedRows(teamA.id, week);
		expect(before.map((r) => r.word)).toEqual(words);
		expect(await responseCount(teamA.id, week)).toBe(8);

		expect(await pulse.closeWeek(database.db, teamA.id, week, NOW)).toBe(true);

		expect(await responseCount(teamA.id, week)).toBe(0);
		const after = await storedRows(teamA.id, week);
		// The same answers…
		expect(after.map((r) => r.word).sort()).toEqual([...words].sort());
		expect(after.filter((r) => r.energy === 'green')).toHaveLength(4);
		// …none with its old id, and not in the order they came (1 chance in 40 320 of a false alarm).
		const oldIds = new Set(before.map((r) => r.id));
		expect(after.filter((r) => oldIds.has(r.id))).toEqual([]);
		expect(after.map((r) => r.word)).not.toEqual(words);

		// Idempotent: closing again changes nothing.
		expect(await pulse.closeWeek(database.db, teamA.id, week, NOW)).toBe(false);
		expect((await storedRows(teamA.id, week)).map((r) => r.id)).toEqual(after.map((r) => r.id));
		// A closed week takes no more answers.
		expect(await answerAs(teamA.id, teamA.members[8]!, week, NOW)).toBe('not_this_week');
	});

	it('shows a closed week from five answers up, as a team figure, and its words shuffled', async () => {
		const figure = await pulse.weekFigure(database.db, teamA.id, '2026-W45', NOW);
		expect(figure).toEqual({
			week: '2026-W45',
			answers: 8,
			questions: {
				energy: { green: 4, amber: 0, red: 4 },
				workload: { green: 4, amber: 0, red: 4 },
				teamwork: { green: 4, amber: 0, red: 4 },
				decisions: { green: 4, amber: 0, red: 4 }
			}
		});
		const words = await pulse.weekWords(database.db, teamA.id, '2026-W45', NOW);
		expect(words?.sort()).toEqual(
			teamA.members
				.slice(0, 8)
				.map((_, i) => `réponse ${i}`)
				.sort()
		);
	});

	it('shows nothing for a closed week with fewer than five answers', async () => {
		const week = '2026-W46';
		const at = new Date('2026-11-12T09:00:00Z');
		for (const userId of teamB.members.slice(0, 4)) {
			expect(await answerAs(teamB.id, userId, week, at, 'red', 'trop peu')).toBe('saved');
		}
		expect(await pulse.weekFigure(database.db, teamB.id, week, NOW)).toBeNull();
		expect(await pulse.weekWords(database.db, teamB.id, week, NOW)).toBeNull();
		// Reading it closed it all the same.
		expect(await responseCount(teamB.id, week)).toBe(0);
		const recent = await pulse.recentWeeks(database.db, teamB.id, { now: NOW, words: true });
		expect(recent.find((w) => w.week === week)).toEqual({ week, figure: null, words: null });
	});

	it('closes the open week lazily once it has ended, when its pulse is read', async () => {
		expect(await responseCount(teamA.id, WEEK)).toBe(6);
		const figure = await pulse.weekFigure(database.db, teamA.id, WEEK, NEXT_WEEK);
		expect(figure?.answers).toBe(6);
		expect(await responseCount(teamA.id, WEEK)).toBe(0);
		const recent = await pulse.recentWeeks(database.db, teamA.id, { now: NEXT_WEEK });
		expect(recent[0]).toMatchObject({ week: WEEK, words: null });
		expect(recent[0]!.figure?.answers).toBe(6);
		// No answer of the team is left tied to anyone.
		const left = await database.db
			.select()
			.from(pulseResponse)
			.where(eq(pulseResponse.teamId, teamA.id));
		expect(left).toEqual([]);
	});
});

describe('the demo pulse', () => {
	it('gives both teams eight closed weeks, the second falling under five answers lately', async () => {
		const fresh = await createTestDatabase();
		try {
			const demo = await seed.demo(fresh.db);
			const teams = demo.teams.map((t) => ({ id: t.id, memberIds: t.members.map((m) => m.id) }));
			await writeDemoPulse(fresh.db, teams, NOW);
			expect(await fresh.db.select().from(pulseResponse)).toEqual([]);
			const [a, b] = await Promise.all(
				teams.map((t) => pulse.recentWeeks(fresh.db, t.id, { now: NOW, words: true }))
			);
			expect(a).toHaveLength(8);
			for (const week of a!) {
				expect(week.figure?.answers).toBeGreaterThanOrEqual(6);
				expect(week.figure?.answers).toBeLessThanOrEqual(8);
			}
			expect(a!.flatMap((w) => w.words ?? []).sort()).toEqual([...DEMO_PULSE_WORDS[0]!].sort());
			expect(b!.slice(0, 2).map((w) => w.figure)).toEqual([null, null]);
			expect(b!.slice(2).every((w) => w.figure !== null)).toBe(true);
			const shownB = b!.flatMap((w) => w.words ?? []);
			expect(shownB.sort()).toEqual([...DEMO_PULSE_WORDS[1]!].sort());
			// The word of the small week is stored, but shown to no one.
			const stored = await fresh.db
				.select({ word: pulseAnswer.word })
				.from(pulseAnswer)
				.where(eq(pulseAnswer.teamId, teams[1]!.id));
			expect(stored.map((r) => r.word)).toContain(DEMO_PULSE_UNSHOWN_WORDS[0]);
			expect(shownB).not.toContain(DEMO_PULSE_UNSHOWN_WORDS[0]);
		} finally {
			await fresh.dispose();
		}
	});
});
