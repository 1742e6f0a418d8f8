import { and, asc, desc, eq, ilike } from 'drizzle-orm';
import {
	answered,
	apply,
	asked,
	newAdvice,
	type Advice,
	type AdviceMove,
	type AdviceRefusal
} from '$lib/domain/advice';
import type { Area } from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import { adviceEvent, adviceProcess, membership } from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';

/**
 * Advice processes in Postgres, ruled by the pure state machine (src/lib/domain/advice.ts) on
 * every move, then mirrored into the team's read-only governance document so every open board
 * sees them. The mover is always the signed-in member: a move's `by` is set here, never taken
 * from a form.
 */
export type AdviceMirror = (teamId: string, advice: Advice) => Promise<void>;

/** What the governance document shows of an advice process: enough for a board, nothing to act on. */
export function adviceSummary(a: Advice) {
	return {
		id: a.id,
		title: a.title,
		area: a.area,
		stage: a.stage,
		asked: asked(a).length,
		answered: answered(a).length,
		advice: a.advice.length,
		reviewDate: a.reviewDate,
		closedAt: a.closedAt
	};
}

async function memberIds(db: Db, teamId: string): Promise<string[]> {
	return (
		await db.select({ id: membership.userId }).from(membership).where(eq(membership.teamId, teamId))
	).map((m) => m.id);
}

export type AnnounceResult = { ok: true; advice: Advice } | { ok: false; refusal: AdviceRefusal };

/** A member announces a decision they intend to take, and whom they ask for advice. */
export async function announce(
	db: Db,
	mirror: AdviceMirror,
	input: {
		teamId: string;
		deciderId: string;
		title: string;
		situation: string;
		intent: string;
		area: Area;
		reviewDate: string;
		affected: string[];
		experts: string[];
		now?: Date;
	}
): Promise<AnnounceResult> {
	const now = input.now ?? new Date();
	const out = newAdvice({
		...input,
		id: newId(),
		members: await memberIds(db, input.teamId),
		now
	});
	if (!out.ok) return out;
	const a = out.advice;
	await db.transaction(async (tx) => {
		await tx.insert(adviceProcess).values({
			id: a.id,
			teamId: input.teamId,
			title: a.title,
			area: a.area,
			stage: a.stage,
			reviewDate: a.reviewDate,
			deciderId: a.deciderId,
			revision: 1,
			state: a,
			createdAt: now
		});
		await tx.insert(adviceEvent).values({
			adviceId: a.id,
			seq: 1,
			userId: a.deciderId,
			move: {
				type: 'announce',
				title: a.title,
				situation: a.situation,
				intent: a.intent,
				affected: a.affected,
				experts: a.experts
			},
			at: now
		});
	});
	await mirror(input.teamId, a);
	return out;
}

export type AdviceMoveResult =
	{ ok: true; advice: Advice } | { ok: false; refusal: AdviceRefusal | { kind: 'not-found' } };

/** A member's move, checked by the state machine on the locked stored state and saved with its event. */
export async function move(
	db: Db,
	mirror: AdviceMirror,
	input: {
		teamId: string;
		adviceId: string;
		userId: string;
		move: DistributiveOmit<AdviceMove, 'by'>;
		now?: Date;
	}
): Promise<AdviceMoveResult> {
	const now = input.now ?? new Date();
	const full = { ...input.move, by: input.userId } as AdviceMove;
	const result = await db.transaction(async (tx): Promise<AdviceMoveResult> => {
		const [row] = await tx
			.select({ state: adviceProcess.state, revision: adviceProcess.revision })
			.from(adviceProcess)
			.where(and(eq(adviceProcess.id, input.adviceId), eq(adviceProcess.teamId, input.teamId)))
			.for('update');
		if (row === undefined) return { ok: false, refusal: { kind: 'not-found' } };
		// Who may advise is the team as it is now, not as it was at the announcement.
		const members = await memberIds(tx, input.teamId);
		const out = apply({ ...row.state, members }, full, now);
		if (!out.ok) return out;
		const revision = row.revision + 1;
		await tx.insert(adviceEvent).values({
			adviceId: input.adviceId,
			seq: revision,
			userId: input.userId,
			move: full,
			at: now
		});
		await tx
			.update(adviceProcess)
			.set({
				state: out.advice,
				stage: out.advice.stage,
				revision,
				closedAt: out.advice.closedAt === null ? null : new Date(out.advice.closedAt)
			})
			.where(eq(adviceProcess.id, input.adviceId));
		return out;
	});
	if (result.ok) await mirror(input.teamId, result.advice);
	return result;
}

/** An advice process of this team, or null (unknown, or another team's). */
export async function read(
	db: Db,
	input: { teamId: string; adviceId: string }
): Promise<Advice | null> {
	const [row] = await db
		.select({ state: adviceProcess.state })
		.from(adviceProcess)
		.where(and(eq(adviceProcess.id, input.adviceId), eq(adviceProcess.teamId, input.teamId)));
	return row?.state ?? null;
}

/** The team's advice processes for the decision log: latest first, filtered like decisions. */
export async function list(
	db: Db,
	input: { teamId: string; area?: Area | null; stage?: string | null; query?: string | null }
) {
	const filters = [eq(adviceProcess.teamId, input.teamId)];
	if (input.area) filters.push(eq(adviceProcess.area, input.area));
	if (input.stage) filters.push(eq(adviceProcess.stage, input.stage));
	if (input.query && input.query.trim() !== '') {
		const q = `%${input.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		filters.push(ilike(adviceProcess.title, q));
	}
	return db
		.select({
			id: adviceProcess.id,
			title: adviceProcess.title,
			area: adviceProcess.area,
			stage: adviceProcess.stage,
			reviewDate: adviceProcess.reviewDate,
			createdAt: adviceProcess.createdAt,
			closedAt: adviceProcess.closedAt
		})
		.from(adviceProcess)
		.where(and(...filters))
		.orderBy(desc(adviceProcess.createdAt), asc(adviceProcess.id));
}

/** The attributable history of one advice process, in order (replaced advice included). */
export async function events(db: Db, adviceId: string) {
	return db
		.select()
		.from(adviceEvent)
		.where(eq(adviceEvent.adviceId, adviceId))
		.orderBy(asc(adviceEvent.seq));
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
