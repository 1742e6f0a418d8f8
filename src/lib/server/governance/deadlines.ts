import { and, eq, inArray, sql } from 'drizzle-orm';
import { roundDue, type Decision } from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import { coaching, decision } from '$lib/server/db/schema';
import { closeRound, type Mirror, type Tx } from './decisions';

/**
 * Deadlines close on time, with no job to forget. A round whose deadline passed
 * (`roundDue`, src/lib/domain/consent.ts) is closed by `closeDueRounds` wherever a team's
 * governance is read: every team route (the guard runs it before any load, so the decision list,
 * the team page, the health figures and a coach's access all see it closed), the coach dashboard,
 * and the opening of any live document (the governance document among them). An in-process timer
 * (`startDeadlineTimer`) also closes due rounds of every team, so members are told even when
 * nobody looks; with several instances on one Postgres, one of them does it per tick (advisory
 * lock), the others skip.
 *
 * Elections and advice processes have no deadline in Kring's model (src/lib/domain/election.ts,
 * advice.ts): they move only by their members' acts, so nothing of theirs can go stale.
 */

/** Closes the due rounds of these teams (all teams when `teamIds` is omitted); the ones it closed. */
export async function closeDueRounds(
	db: Db,
	mirror: Mirror,
	input: { teamIds?: readonly string[]; now?: Date } = {}
): Promise<{ teamId: string; decision: Decision }[]> {
	const now = input.now ?? new Date();
	const { closed } = await closeIn(db, input.teamIds, now);
	await announce(mirror, closed);
	return closed;
}

/**
 * How late a read may see a round that another request or instance started: a read path checks a
 * team's rounds at most once in this time, unless the earliest deadline it saw comes sooner.
 */
export const DUE_CHECK_REUSE_MS = 10_000;
const DUE_CHECKS_KEPT = 10_000;
/** Per team: when it was checked, and when it must be checked again at the latest. */
const dueChecks = new Map<string, { at: number; next: number }>();

/**
 * `closeDueRounds` for one team on a read path (every team route, every live document opened):
 * skipped while a check made moments ago still holds, so a burst of page loads and reconnects asks
 * the database once. A round is never seen open after its deadline: the next check is due at the
 * earliest deadline still open. Only a round started after the last check, with a deadline under
 * `DUE_CHECK_REUSE_MS` away, can be seen open that much longer (the timer closes it too).
 */
export async function closeDueRoundsOnRead(
	db: Db,
	mirror: Mirror,
	teamId: string,
	now = new Date()
): Promise<void> {
	const at = now.getTime();
	const known = dueChecks.get(teamId);
	if (known !== undefined && at >= known.at && at < known.next) return;
	const { closed, nextDeadline } = await closeIn(db, [teamId], now);
	await announce(mirror, closed);
	if (dueChecks.size >= DUE_CHECKS_KEPT) dueChecks.clear();
	dueChecks.set(teamId, { at, next: Math.min(at + DUE_CHECK_REUSE_MS, nextDeadline) });
}

/**
 * Before a coach's pages list their teams: the rounds of every team that coaches them or is
 * deciding whether to (a coach's access is itself a decision with a deadline).
 */
export async function closeDueForCoach(
	db: Db,
	mirror: Mirror,
	input: { userId: string; now?: Date }
): Promise<{ teamId: string; decision: Decision }[]> {
	const teamIds = (
		await db
			.select({ teamId: coaching.teamId })
			.from(coaching)
			.where(eq(coaching.userId, input.userId))
	).map((r) => r.teamId);
	return closeDueRounds(db, mirror, { teamIds, now: input.now });
}

/** Closes the due rounds; also says when the earliest round still open falls due (ms, or Infinity). */
async function closeIn(
	db: Db | Tx,
	teamIds: readonly string[] | undefined,
	now: Date
): Promise<{ closed: { teamId: string; decision: Decision }[]; nextDeadline: number }> {
	if (teamIds !== undefined && teamIds.length === 0) return { closed: [], nextDeadline: Infinity };
	const open = and(
		eq(decision.stage, 'round'),
		teamIds === undefined ? undefined : inArray(decision.teamId, [...teamIds])
	);
	const rows = await (db as Db)
		.select({ teamId: decision.teamId, id: decision.id, state: decision.state })
		.from(decision)
		.where(open);
	const closed: { teamId: string; decision: Decision }[] = [];
	let nextDeadline = Infinity;
	for (const row of rows) {
		if (!roundDue(row.state, now)) {
			const { mode, deadline } = row.state;
			if (mode === 'async' && deadline !== null)
				nextDeadline = Math.min(nextDeadline, Date.parse(deadline));
			continue;
		}
		const out = await closeRound(db, row.teamId, row.id, now);
		if (out?.changed === true) closed.push({ teamId: row.teamId, decision: out.decision });
	}
	return { closed, nextDeadline };
}

async function announce(mirror: Mirror, closed: { teamId: string; decision: Decision }[]) {
	// Members learn the outcome on the board and the decision list; no notification kind tells it.
	for (const { teamId, decision: d } of closed) await mirror(teamId, d);
}

/** Any fixed 64-bit key, the same on every instance: "kring deadlines". */
const LOCK_KEY = 0x6b72696e67646c;

/**
 * One tick of the timer: closes every team's due rounds unless another instance holds the lock
 * (then null). A transaction-scoped advisory lock, so a crash or a lost connection frees it.
 */
export async function closeDueEverywhere(
	db: Db,
	mirror: Mirror,
	now = new Date()
): Promise<{ teamId: string; decision: Decision }[] | null> {
	const closed = await db.transaction(async (tx) => {
		const result = await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as locked`);
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
			locked: boolean;
		}[];
		if (rows[0]?.locked !== true) return null;
		return (await closeIn(tx, undefined, now)).closed;
	});
	if (closed !== null) await announce(mirror, closed);
	return closed;
}

/** Starts the in-process timer; returns its stop. */
export function startDeadlineTimer(
	db: Db,
	mirror: Mirror,
	options: { everyMs?: number; log?: Pick<Console, 'error'> } = {}
): () => void {
	let running = false;
	const timer = setInterval(() => {
		if (running) return;
		running = true;
		closeDueEverywhere(db, mirror)
			.catch((error: unknown) =>
				(options.log ?? console).error('[deadlines] closing due rounds failed:', error)
			)
			.finally(() => (running = false));
	}, options.everyMs ?? 60_000);
	timer.unref?.();
	return () => clearInterval(timer);
}
