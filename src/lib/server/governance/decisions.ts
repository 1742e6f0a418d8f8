import { and, asc, desc, eq, ilike, lte, or, sql } from 'drizzle-orm';
import {
	apply,
	CLOSED_STAGES,
	currentVersion,
	evaluate,
	newDecision,
	standingObjections,
	toRemind,
	type Area,
	type Decision,
	type Move,
	type Refusal,
	type ReviewOutcome,
	type Stage
} from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import { decision, decisionEvent, membership } from '$lib/server/db/schema';
import type { TeamChange } from '$lib/domain/team-change';
import { newId } from '$lib/server/auth/random';
import { carryOut } from './team-change-effects';

/**
 * Team decisions in Postgres, ruled by the pure state machine (src/lib/domain/consent.ts) on every
 * move, then mirrored into the team's read-only governance document so every open board sees them.
 * The mover is always the signed-in member: a move's `by` is set here, never taken from a form.
 */
export type Mirror = (teamId: string, decision: Decision) => Promise<void>;

/** What the governance document shows of a decision: enough for a board, nothing to act on. */
export function summary(d: Decision) {
	const version = currentVersion(d);
	return {
		id: d.id,
		title: d.title,
		area: d.area,
		stage: d.stage,
		version: version.number,
		answered: version.answers.length,
		participants: d.participants.length,
		objections: standingObjections(d).length,
		reviewDate: d.reviewDate,
		closedAt: d.closedAt
	};
}

export async function propose(
	db: Db,
	mirror: Mirror,
	input: {
		teamId: string;
		proposerId: string;
		title: string;
		driver: string;
		text: string;
		area: Area;
		reviewDate: string;
		mode: 'meeting' | 'async';
		deadline?: string | null;
		/** Members present (meeting mode); the whole team when omitted. */
		participants?: string[];
		refersTo?: string | null;
		/** With `refersTo`: a review of that decision (check it first: `reviewable`). */
		review?: { outcome: ReviewOutcome } | null;
		/** The meeting it is proposed in. */
		meetingId?: string | null;
		/** A change to the team, carried out once adopted (check it first: team-changes.propose). */
		change?: TeamChange | null;
		now?: Date;
	}
): Promise<Decision> {
	const now = input.now ?? new Date();
	const members = (
		await db
			.select({ id: membership.userId })
			.from(membership)
			.where(eq(membership.teamId, input.teamId))
	).map((m) => m.id);
	const participants = (input.participants ?? members).filter((p) => members.includes(p));
	const d = newDecision({
		...input,
		id: newId(),
		participants,
		quorum: Math.ceil(members.length / 2),
		now
	});
	await db.transaction(async (tx) => {
		await tx.insert(decision).values({
			id: d.id,
			teamId: input.teamId,
			title: d.title,
			area: d.area,
			stage: d.stage,
			reviewDate: d.reviewDate,
			proposerId: d.proposerId,
			meetingId: input.meetingId ?? null,
			revision: 1,
			state: d,
			createdAt: now
		});
		await tx.insert(decisionEvent).values({
			decisionId: d.id,
			seq: 1,
			userId: input.proposerId,
			move: { type: 'propose', title: d.title, text: d.versions[0]!.text, change: d.change },
			at: now
		});
	});
	await mirror(input.teamId, d);
	return d;
}

export type MoveResult =
	{ ok: true; decision: Decision } | { ok: false; reason: Refusal | 'not-found' };

/** A member's move, checked by the state machine on the stored state and saved with its event. */
export async function move(
	db: Db,
	mirror: Mirror,
	input: {
		teamId: string;
		decisionId: string;
		userId: string;
		move: DistributiveOmit<Move, 'by'>;
		now?: Date;
	}
): Promise<MoveResult> {
	const now = input.now ?? new Date();
	const full = { ...input.move, by: input.userId } as Move;
	const result = await db.transaction(async (tx): Promise<MoveResult> => {
		const [row] = await tx
			.select({ state: decision.state, revision: decision.revision })
			.from(decision)
			.where(and(eq(decision.id, input.decisionId), eq(decision.teamId, input.teamId)))
			.for('update');
		if (row === undefined) return { ok: false, reason: 'not-found' };
		const out = apply(row.state, full, now);
		if (!out.ok) return out;
		await tx.insert(decisionEvent).values({
			decisionId: input.decisionId,
			seq: row.revision + 1,
			userId: input.userId,
			move: full,
			at: now
		});
		await save(tx, input.decisionId, out.decision, row.revision + 1);
		if (row.state.stage !== 'adopted')
			await recordCarryOut(tx, input.teamId, out.decision, row.revision + 2, now);
		return out;
	});
	if (result.ok) await mirror(input.teamId, result.decision);
	return result;
}

async function save(db: Db, id: string, d: Decision, revision: number): Promise<void> {
	await db
		.update(decision)
		.set({
			state: d,
			stage: d.stage,
			revision,
			closedAt: d.closedAt === null ? null : new Date(d.closedAt)
		})
		.where(eq(decision.id, id));
}

export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Adopted with a team change: carried out now, in the adopting transaction, and its outcome kept. */
async function recordCarryOut(tx: Tx, teamId: string, d: Decision, seq: number, now: Date) {
	const outcome = await carryOut(tx, teamId, d);
	if (outcome === null) return;
	await tx.insert(decisionEvent).values({
		decisionId: d.id,
		seq,
		userId: null,
		move: { type: 'carried-out', ...outcome },
		at: now
	});
	await tx.update(decision).set({ revision: seq }).where(eq(decision.id, d.id));
}

/**
 * A decision as it stands now. A round whose deadline passed is closed here, on read, even if no
 * background job ran at the deadline; the closure is saved as an event of nobody's.
 */
export async function read(
	db: Db,
	mirror: Mirror,
	input: { teamId: string; decisionId: string; now?: Date }
): Promise<Decision | null> {
	const now = input.now ?? new Date();
	const [row] = await db
		.select({ state: decision.state, revision: decision.revision })
		.from(decision)
		.where(and(eq(decision.id, input.decisionId), eq(decision.teamId, input.teamId)));
	if (row === undefined) return null;
	const current = evaluate(row.state, now);
	if (current.stage === row.state.stage) return current;
	const closed = await closeRound(db, input.teamId, input.decisionId, now);
	if (closed?.changed === true) await mirror(input.teamId, closed.decision);
	return closed?.decision ?? null;
}

/**
 * Closes a round that `evaluate` says is over, under a row lock: the closure as an event of
 * nobody's, then a team change carried out. `changed` is false when another reader closed it first.
 * The caller mirrors a changed decision once its transaction is committed.
 */
export async function closeRound(
	db: Db | Tx,
	teamId: string,
	decisionId: string,
	now: Date
): Promise<{ decision: Decision; changed: boolean } | null> {
	return (db as Db).transaction(async (tx) => {
		const [locked] = await tx
			.select({ state: decision.state, revision: decision.revision })
			.from(decision)
			.where(and(eq(decision.id, decisionId), eq(decision.teamId, teamId)))
			.for('update');
		if (locked === undefined) return null;
		const evaluated = evaluate(locked.state, now);
		if (evaluated.stage === locked.state.stage) return { decision: evaluated, changed: false };
		await tx.insert(decisionEvent).values({
			decisionId,
			seq: locked.revision + 1,
			userId: null,
			move: { type: 'deadline', stage: evaluated.stage },
			at: now
		});
		await save(tx, decisionId, evaluated, locked.revision + 1);
		await recordCarryOut(tx, teamId, evaluated, locked.revision + 2, now);
		return { decision: evaluated, changed: true };
	});
}

/** The decision log: latest first, filtered by area, stage and words of the title. */
export async function list(
	db: Db,
	input: { teamId: string; area?: Area | null; stage?: string | null; query?: string | null }
) {
	const filters = [eq(decision.teamId, input.teamId)];
	if (input.area) filters.push(eq(decision.area, input.area));
	if (input.stage) filters.push(eq(decision.stage, input.stage));
	if (input.query && input.query.trim() !== '') {
		const q = `%${input.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		filters.push(or(ilike(decision.title, q))!);
	}
	return db
		.select({
			id: decision.id,
			title: decision.title,
			area: decision.area,
			stage: decision.stage,
			reviewDate: decision.reviewDate,
			createdAt: decision.createdAt,
			closedAt: decision.closedAt
		})
		.from(decision)
		.where(and(...filters))
		.orderBy(desc(decision.createdAt), asc(decision.id));
}

/** The attributable history of one decision, in order. */
export async function events(db: Db, decisionId: string) {
	return db
		.select()
		.from(decisionEvent)
		.where(eq(decisionEvent.decisionId, decisionId))
		.orderBy(asc(decisionEvent.seq));
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * What the board reminds a member of: async rounds closing within a day that they have not
 * answered, and adopted decisions whose review date has come.
 */
export async function reminders(
	db: Db,
	input: { teamId: string; userId: string; today: string; now?: Date }
) {
	const now = input.now ?? new Date();
	const [rounds, reviews] = await Promise.all([
		db
			.select({ state: decision.state })
			.from(decision)
			.where(and(eq(decision.teamId, input.teamId), eq(decision.stage, 'round'))),
		dueReviews(db, input.teamId, input.today)
	]);
	return {
		toAnswer: rounds
			.filter((r) => toRemind(r.state, now).includes(input.userId))
			.map((r) => ({ id: r.state.id, title: r.state.title, deadline: r.state.deadline! })),
		toReview: reviews
	};
}

/**
 * Adopted decisions whose review date has come by `day` and that no adopted decision has taken up
 * yet (kept, amended or ended), oldest first; `review` is the open decision taking it up, if any.
 */
export async function dueReviews(db: Db, teamId: string, day: string) {
	const [due, takers] = await Promise.all([
		db
			.select({ id: decision.id, title: decision.title, reviewDate: decision.reviewDate })
			.from(decision)
			.where(
				and(
					eq(decision.teamId, teamId),
					eq(decision.stage, 'adopted'),
					lte(decision.reviewDate, day)
				)
			)
			.orderBy(asc(decision.reviewDate), asc(decision.id)),
		reviewsIn(db, teamId)
	]);
	const done = new Set(takers.filter((t) => t.stage === 'adopted').map((t) => t.refersTo));
	return due
		.filter((d) => !done.has(d.id))
		.map((d) => ({
			...d,
			review:
				takers.find((t) => t.refersTo === d.id && !CLOSED_STAGES.has(t.stage as Stage)) ?? null
		}));
}

/** The team's decisions that take up another one (reviews and other follow-ups). */
async function reviewsIn(db: Db, teamId: string) {
	const rows = await db
		.select({
			id: decision.id,
			title: decision.title,
			stage: decision.stage,
			state: decision.state
		})
		.from(decision)
		.where(and(eq(decision.teamId, teamId), sql`${decision.state}->>'refersTo' is not null`));
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		stage: r.stage,
		refersTo: r.state.refersTo!,
		outcome: r.state.review?.outcome ?? null
	}));
}

/** What a decision page says of its links: the decision it takes up, and those taking it up. */
export async function links(db: Db, teamId: string, d: Decision) {
	const [earlier] =
		d.refersTo === null
			? []
			: await db
					.select({ id: decision.id, title: decision.title })
					.from(decision)
					.where(and(eq(decision.id, d.refersTo), eq(decision.teamId, teamId)));
	const later = (await reviewsIn(db, teamId)).filter((r) => r.refersTo === d.id);
	return { refersTo: earlier ?? null, takenUpBy: later };
}

/** A decision a new one may take up: an adopted decision of the team (its title), or null. */
export async function reviewable(db: Db, teamId: string, decisionId: string) {
	const [row] = await db
		.select({ id: decision.id, title: decision.title, text: decision.state })
		.from(decision)
		.where(
			and(eq(decision.id, decisionId), eq(decision.teamId, teamId), eq(decision.stage, 'adopted'))
		);
	return row === undefined
		? null
		: { id: row.id, title: row.title, text: currentVersion(row.text).text, area: row.text.area };
}
