import { and, asc, eq, inArray, lt } from 'drizzle-orm';
import * as teamRules from '$lib/server/governance/rules';
import {
	closedWeeksBefore,
	shuffled,
	summarisePulse,
	weekEnded,
	type PulseAnswerValues,
	type PulseFigure
} from '$lib/domain/pulse';
import { todayIn, TEAM_TIME_ZONE } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { membership, pulseAnswer, pulseResponse } from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import { weekOf } from '$lib/domain/week';

/**
 * The anonymous weekly pulse (schema: db/schema/pulse.ts).
 *
 * - An answer (`pulse_answer`) carries a random id, the team, the week and the colours: no member,
 *   no time. Who answered (`pulse_response`, never what) is kept only while the week is open, so
 *   each member answers once.
 * - When a week has ended, `closeWeek` deletes its responses and rewrites its answers in random
 *   order with fresh ids, in one transaction: from then on no query can tie an answer to a person.
 *   It runs lazily, whenever a past week's pulse is read; there is no background job.
 * - A figure (and the words) exist only for closed weeks with at least the team's threshold of answers (its rule, never below PULSE_MIN_ANSWERS):
 *   a figure shown while answers still come in would let anyone isolate the next person's answer by
 *   comparing two views. Nothing here breaks a week down by profession, sector or anything else.
 */

/** The ISO week (Paris time) an instant falls in: the only week that takes answers. */
export function currentWeek(now = new Date()): string {
	return weekOf(todayIn(TEAM_TIME_ZONE, now));
}

/** True when `week` ended before the week of `now` began (Paris time). */
function hasEnded(week: string, now = new Date()): boolean {
	return weekEnded(week, todayIn(TEAM_TIME_ZONE, now));
}

export interface PulseAnswerInput extends PulseAnswerValues {
	teamId: string;
	userId: string;
	week: string;
	word: string | null;
}

export type AnswerOutcome = 'saved' | 'already_answered' | 'not_this_week' | 'not_member';

/** A whole number in [0, n) from the CSPRNG, without modulo bias. */
function randomBelow(n: number): number {
	if (n <= 1) return 0;
	const limit = Math.floor(0x1_0000_0000 / n) * n;
	const buffer = new Uint32Array(1);
	for (;;) {
		crypto.getRandomValues(buffer);
		if (buffer[0]! < limit) return buffer[0]! % n;
	}
}

/**
 * Records a member's answer for the week: once per member per week, and only for the week that is
 * running at `now` (the seed passes an instant inside a past week to write history).
 * The answer and the mark that this member answered are written in one transaction.
 */
export async function answer(
	db: Db,
	input: PulseAnswerInput,
	now = new Date()
): Promise<AnswerOutcome> {
	if (input.week !== currentWeek(now)) return 'not_this_week';
	return db.transaction(async (tx) => {
		const member = await tx
			.select({ userId: membership.userId })
			.from(membership)
			.where(and(eq(membership.teamId, input.teamId), eq(membership.userId, input.userId)))
			.limit(1);
		if (member.length === 0) return 'not_member';
		// The primary key (team, week, member) settles two answers sent at once.
		const marked = await tx
			.insert(pulseResponse)
			.values({ teamId: input.teamId, week: input.week, userId: input.userId })
			.onConflictDoNothing()
			.returning({ userId: pulseResponse.userId });
		if (marked.length === 0) return 'already_answered';
		await tx.insert(pulseAnswer).values({
			id: newId(),
			teamId: input.teamId,
			week: input.week,
			energy: input.energy,
			workload: input.workload,
			teamwork: input.teamwork,
			decisions: input.decisions,
			word: input.word
		});
		return 'saved';
	});
}

/** Whether this member already answered this week's pulse (only knowable while the week is open). */
export async function hasAnswered(
	db: Db,
	input: { teamId: string; userId: string; week: string }
): Promise<boolean> {
	const rows = await db
		.select({ userId: pulseResponse.userId })
		.from(pulseResponse)
		.where(
			and(
				eq(pulseResponse.teamId, input.teamId),
				eq(pulseResponse.week, input.week),
				eq(pulseResponse.userId, input.userId)
			)
		)
		.limit(1);
	return rows.length > 0;
}

/**
 * Closes a week that has ended: deletes who answered and rewrites the answers in random order
 * with fresh ids, so neither the ids nor the physical order can tie an answer to a response.
 * Idempotent: a closed week has no responses left, and is left alone. Returns true when it closed
 * the week now. An open (or future) week is never touched.
 */
export async function closeWeek(
	db: Db,
	teamId: string,
	week: string,
	now = new Date()
): Promise<boolean> {
	if (!hasEnded(week, now)) return false;
	return db.transaction(async (tx) => {
		// Deleting first locks the rows: a second closer waits, then finds nothing left to close.
		const removed = await tx
			.delete(pulseResponse)
			.where(and(eq(pulseResponse.teamId, teamId), eq(pulseResponse.week, week)))
			.returning({ userId: pulseResponse.userId });
		if (removed.length === 0) return false;
		const answers = await tx
			.delete(pulseAnswer)
			.where(and(eq(pulseAnswer.teamId, teamId), eq(pulseAnswer.week, week)))
			.returning({
				energy: pulseAnswer.energy,
				workload: pulseAnswer.workload,
				teamwork: pulseAnswer.teamwork,
				decisions: pulseAnswer.decisions,
				word: pulseAnswer.word
			});
		if (answers.length > 0) {
			await tx
				.insert(pulseAnswer)
				.values(shuffled(answers, randomBelow).map((a) => ({ ...a, id: newId(), teamId, week })));
		}
		return true;
	});
}

/** Closes every ended week of the team that still has responses (lazily, before reading). */
async function closePastWeeks(db: Db, teamId: string, now = new Date()): Promise<number> {
	const open = await db
		.selectDistinct({ week: pulseResponse.week })
		.from(pulseResponse)
		.where(and(eq(pulseResponse.teamId, teamId), lt(pulseResponse.week, currentWeek(now))));
	let closed = 0;
	for (const { week } of open) if (await closeWeek(db, teamId, week, now)) closed += 1;
	return closed;
}

async function closedAnswers(db: Db, teamId: string, week: string, now: Date) {
	if (!hasEnded(week, now)) return null;
	await closeWeek(db, teamId, week, now);
	return db
		.select({
			energy: pulseAnswer.energy,
			workload: pulseAnswer.workload,
			teamwork: pulseAnswer.teamwork,
			decisions: pulseAnswer.decisions,
			word: pulseAnswer.word
		})
		.from(pulseAnswer)
		.where(and(eq(pulseAnswer.teamId, teamId), eq(pulseAnswer.week, week)))
		.orderBy(asc(pulseAnswer.id));
}

/**
 * A closed week's team figure, or null while the week is open or when fewer than
 * the team's threshold answered. The same figure for the team and for its coach.
 */
export async function weekFigure(
	db: Db,
	teamId: string,
	week: string,
	now = new Date()
): Promise<PulseFigure | null> {
	const [answers, rules] = await Promise.all([
		closedAnswers(db, teamId, week, now),
		teamRules.current(db, teamId)
	]);
	return answers === null ? null : summarisePulse(week, answers, rules.pulseThreshold);
}

/**
 * A closed week's optional words, shuffled, under the same rule as the figure (null while open or
 * below the team's threshold). For the team's own page only: never show them to a coach.
 */
export async function weekWords(
	db: Db,
	teamId: string,
	week: string,
	now = new Date()
): Promise<string[] | null> {
	const [answers, rules] = await Promise.all([
		closedAnswers(db, teamId, week, now),
		teamRules.current(db, teamId)
	]);
	if (answers === null || summarisePulse(week, answers, rules.pulseThreshold) === null) return null;
	const words = answers.map((a) => a.word?.trim() ?? '').filter((w) => w !== '');
	return shuffled(words, randomBelow);
}

export interface PulseWeek {
	week: string;
	/** Null below the team's threshold of answers. */
	figure: PulseFigure | null;
	/** The week's words, shuffled; null when not asked for or below the threshold. */
	words: string[] | null;
}

/**
 * The `count` weeks that ended before `now`, the most recent first, each closed first if needed.
 * Words only with `words: true`, for the team's own page (never for a coach).
 */
export async function recentWeeks(
	db: Db,
	teamId: string,
	options: { count?: number; words?: boolean; now?: Date } = {}
): Promise<PulseWeek[]> {
	const { count = 8, words = false, now = new Date() } = options;
	const weeks = closedWeeksBefore(todayIn(TEAM_TIME_ZONE, now), count);
	if (weeks.length === 0) return [];
	await closePastWeeks(db, teamId, now);
	const { pulseThreshold } = await teamRules.current(db, teamId);
	const rows = await db
		.select({
			week: pulseAnswer.week,
			energy: pulseAnswer.energy,
			workload: pulseAnswer.workload,
			teamwork: pulseAnswer.teamwork,
			decisions: pulseAnswer.decisions,
			word: pulseAnswer.word
		})
		.from(pulseAnswer)
		.where(and(eq(pulseAnswer.teamId, teamId), inArray(pulseAnswer.week, weeks)));
	return weeks.map((week) => {
		const answers = rows.filter((r) => r.week === week);
		const figure = summarisePulse(week, answers, pulseThreshold);
		const said =
			words && figure !== null
				? shuffled(
						answers.map((a) => a.word?.trim() ?? '').filter((w) => w !== ''),
						randomBelow
					)
				: null;
		return { week, figure, words: said };
	});
}
