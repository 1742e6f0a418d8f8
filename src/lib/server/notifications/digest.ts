import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { notificationSchema } from '$lib/domain/notifications';
import { wallClockToInstant, todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { jobRun, membership, notification, user } from '$lib/server/db/schema';
import { enqueue, wakeDelivery } from '$lib/server/mail/outbox';
import { digestMail, type Notice } from './mail';
import { preferencesOf } from './preferences';

/** The digest leaves at 7:00, Paris time, before the first rounds of the day. */
const DIGEST_HOUR = 7;
const JOB = 'digest';
/** An arbitrary constant naming the digest's advisory lock (one instance at a time). */
const DIGEST_LOCK = 0x6b72696e; // "krin"

/**
 * One mail per member holding every notification not e-mailed yet whose kind they have not turned
 * off, each marked e-mailed. Kinds turned off are marked too, so they never pile up. A plain
 * function: the timer calls it once a day (`runDailyDigest`), tests call it directly.
 */
export async function sendDigests(
	db: Db,
	origin: string,
	now = new Date()
): Promise<{ mails: number; notices: number }> {
	const pending = await db
		.select({
			id: notification.id,
			userId: notification.userId,
			kind: notification.kind,
			params: notification.params,
			link: notification.link,
			email: user.email,
			name: user.name,
			locale: user.locale
		})
		.from(notification)
		.innerJoin(user, eq(user.id, notification.userId))
		.innerJoin(
			membership,
			and(eq(membership.teamId, notification.teamId), eq(membership.userId, notification.userId))
		)
		.where(isNull(notification.emailedAt))
		.orderBy(notification.userId, notification.createdAt);
	const preferences = await preferencesOf(db, [...new Set(pending.map((p) => p.userId))]);
	const byUser = new Map<string, typeof pending>();
	for (const p of pending) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p]);
	let notices = 0;
	const mails = [];
	const done: string[] = [];
	for (const [userId, rows] of byUser) {
		const wanted: Notice[] = [];
		for (const row of rows) {
			done.push(row.id);
			if (preferences.get(userId)!.get(row.kind)?.email === 'off') continue;
			const parsed = notificationSchema.safeParse({ kind: row.kind, params: row.params });
			if (parsed.success) wanted.push({ ...parsed.data, link: row.link });
		}
		if (wanted.length === 0) continue;
		const to = { id: userId, email: rows[0]!.email, name: rows[0]!.name, locale: rows[0]!.locale };
		mails.push(await digestMail(db, origin, to, wanted));
		notices += wanted.length;
	}
	await enqueue(db, mails, now);
	if (done.length > 0) {
		await db.update(notification).set({ emailedAt: now }).where(inArray(notification.id, done));
	}
	wakeDelivery();
	return { mails: mails.length, notices };
}

/**
 * The timer's daily run: once the digest hour has passed today (Paris time) and no instance has
 * run it since, run it. The run is inside one transaction holding a Postgres advisory lock, so with
 * several instances only one sends; the others see the recorded run and do nothing.
 */
export async function runDailyDigest(db: Db, origin: string, now = new Date()): Promise<boolean> {
	const due = wallClockToInstant(todayIn(undefined, now), DIGEST_HOUR * 60);
	if (now < due) return false;
	return db.transaction(async (tx) => {
		const lock = await tx.execute<{ locked: boolean }>(
			sql`select pg_try_advisory_xact_lock(${DIGEST_LOCK}) as locked`
		);
		if (!rowsOf<{ locked: boolean }>(lock)[0]?.locked) return false;
		const [last] = await tx.select().from(jobRun).where(eq(jobRun.name, JOB));
		if (last !== undefined && last.lastRunAt >= due) return false;
		await tx
			.insert(jobRun)
			.values({ name: JOB, lastRunAt: now })
			.onConflictDoUpdate({ target: jobRun.name, set: { lastRunAt: now } });
		await sendDigests(tx as unknown as Db, origin, now);
		return true;
	});
}

/** postgres.js returns the rows, PGlite an object holding them. */
function rowsOf<T>(result: unknown): T[] {
	return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
