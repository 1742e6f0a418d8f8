import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { outbox, type OutboxMail } from '$lib/server/db/schema';
import { HOUR_MS, MINUTE_MS } from '$lib/domain/time';

export interface Mail {
	userId: string | null;
	to: string;
	subject: string;
	text: string;
	html: string;
	headers: Record<string, string>;
}

/** What actually sends: nodemailer over SMTP in the app (transport.ts), anything in a test. */
export interface Transport {
	send(mail: OutboxMail): Promise<void>;
}

/** Attempts before a mail is given up (its row stays, with the last error). */
export const MAX_ATTEMPTS = 8;
/** A mail not sent within this long is not sent any more (a reset link would be dead anyway). */
const STALE_MS = 24 * HOUR_MS;
/** How long a claimed mail is held by the instance sending it before another may retry it. */
const LEASE_MS = 5 * MINUTE_MS;

/** 1, 2, 4, 8 … minutes after each failure, at most an hour. */
function backoffMs(attempts: number): number {
	return Math.min(HOUR_MS, MINUTE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Queues mail. Nothing is sent here, so a slow or failing SMTP server never holds up a request;
 * `wakeDelivery` then lets the loop send it at once.
 */
export async function enqueue(db: Db, mails: Mail[], now = new Date()): Promise<void> {
	if (mails.length === 0) return;
	await db.insert(outbox).values(mails.map((m) => ({ ...m, createdAt: now, nextAttemptAt: now })));
}

let waker: (() => void) | null = null;

/** The delivery loop (jobs.ts) registers here, so a new mail goes out at once, not at the next tick. */
export function onEnqueue(listener: (() => void) | null): void {
	waker = listener;
}

/** Asks the delivery loop, if one runs here, to send now (call it once the mail is committed). */
export function wakeDelivery(): void {
	waker?.();
}

/**
 * Sends what is due, each mail claimed first with a lease, so several instances never send the
 * same mail at once. A failure is retried later with backoff.
 */
export async function deliverDue(
	db: Db,
	transport: Transport,
	now = new Date(),
	limit = 20
): Promise<{ sent: number; failed: number }> {
	// One statement: a row another instance claimed meanwhile no longer matches `next_attempt_at <=
	// now` when Postgres re-checks it after that instance's update, so each mail has one sender.
	const due = db
		.select({ id: outbox.id })
		.from(outbox)
		.where(lte(outbox.nextAttemptAt, now))
		.orderBy(asc(outbox.id))
		.limit(limit);
	const claimed = await db
		.update(outbox)
		.set({
			nextAttemptAt: new Date(now.getTime() + LEASE_MS),
			attempts: sql`${outbox.attempts} + 1`
		})
		.where(and(inArray(outbox.id, due), lte(outbox.nextAttemptAt, now)))
		.returning();
	let sent = 0;
	let failed = 0;
	for (const mail of claimed) {
		if (now.getTime() - mail.createdAt.getTime() > STALE_MS) {
			await settle(db, mail.id, { nextAttemptAt: null, lastError: 'stale: not sent within 24 h' });
			failed++;
			continue;
		}
		try {
			await transport.send(mail);
			await settle(db, mail.id, { sentAt: new Date(), nextAttemptAt: null, lastError: null });
			sent++;
		} catch (error) {
			failed++;
			const giveUp = mail.attempts >= MAX_ATTEMPTS;
			await settle(db, mail.id, {
				nextAttemptAt: giveUp ? null : new Date(now.getTime() + backoffMs(mail.attempts)),
				lastError: error instanceof Error ? error.message.slice(0, 500) : String(error)
			});
		}
	}
	return { sent, failed };
}

function settle(db: Db, id: number, values: Partial<OutboxMail>) {
	return db.update(outbox).set(values).where(eq(outbox.id, id));
}

/** The newest mails first, for the dev page. */
export function recent(db: Db, limit = 50) {
	return db.select().from(outbox).orderBy(desc(outbox.id)).limit(limit);
}
