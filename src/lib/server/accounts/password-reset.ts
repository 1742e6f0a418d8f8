import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, eq, gt, lte } from 'drizzle-orm';
import { MINUTE_MS } from '$lib/domain/time';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import type { Db } from '$lib/server/db';
import { passwordReset, user } from '$lib/server/db/schema';
import { randomToken } from '$lib/server/auth/random';
import * as throttle from '$lib/server/auth/throttle';
import { render } from '$lib/server/mail/html';
import { inLocale, localeOf } from '$lib/server/mail/locale';
import { enqueue, wakeDelivery } from '$lib/server/mail/outbox';
import { changePassword } from './accounts';

// Password reset as the Lucia guide describes it (https://lucia-auth.com): a random single-use
// token in the link, only its SHA-256 kept, 30 minutes to use it, every session ended on use.

export const RESET_TTL_MS = 30 * MINUTE_MS;
/** Reset mails asked per address in the throttle window (15 minutes). */
const MAX_PER_ACCOUNT = 3;
/** Reset requests per client address in the window, whatever the addresses asked. */
const MAX_PER_CLIENT = 10;

const hashToken = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

export type ResetRequest =
	{ ok: true; sending: Promise<void> } | { ok: false; reason: 'throttled'; retryAt: Date };

/**
 * Asks for a reset link. The answer is the same whether or not the address has an account: the
 * token and its mail are made after the answer (`sending`, which the page does not wait for), so
 * neither the words nor the time tell. Throttled per asked address and per client, every request
 * counting, known address or not.
 */
export async function requestReset(
	db: Db,
	input: { email: string; address: string; origin: string; locale: Locale; now?: Date }
): Promise<ResetRequest> {
	const now = input.now ?? new Date();
	const keys = [
		{ key: `reset:${input.email}`, max: MAX_PER_ACCOUNT },
		{ key: `reset-client:${input.address}`, max: MAX_PER_CLIENT }
	];
	const verdict = await throttle.check(db, keys, now);
	if (!verdict.ok) return { ok: false, reason: 'throttled', retryAt: verdict.retryAt };
	await throttle.recordFailure(db, keys, now);
	const sending = sendLink(db, { ...input, now }).catch((error: unknown) =>
		console.error('[reset] making the reset mail failed:', error)
	);
	return { ok: true, sending };
}

async function sendLink(
	db: Db,
	input: { email: string; origin: string; locale: Locale; now: Date }
): Promise<void> {
	const [found] = await db.select().from(user).where(eq(user.email, input.email));
	if (found === undefined) return;
	const token = randomToken(20);
	await db.insert(passwordReset).values({
		tokenHash: hashToken(token),
		userId: found.id,
		expiresAt: new Date(input.now.getTime() + RESET_TTL_MS)
	});
	const link = `${input.origin}/reset/${token}`;
	const locale = found.locale === null ? input.locale : localeOf(found.locale);
	const mail = inLocale(locale, () => ({
		subject: m.mail_reset_subject(),
		...render(
			[
				{ text: m.mail_greeting({ name: found.name }) },
				{ text: m.mail_reset_body() },
				{ link, label: link },
				{ text: m.mail_reset_ignore() }
			],
			locale
		)
	}));
	// A mail the person asked for, about their own account: no unsubscribe link (stopping it would
	// only stop them resetting their password), unlike every notification mail.
	await enqueue(
		db,
		[
			{
				userId: found.id,
				to: found.email,
				...mail,
				headers: { 'Content-Language': locale, 'Auto-Submitted': 'auto-generated' }
			}
		],
		input.now
	);
	wakeDelivery();
}

/** Whether a link can still be used (for showing the form); does not use it. */
export async function isUsable(db: Db, token: string, now = new Date()): Promise<boolean> {
	if (token.length > 64) return false;
	const rows = await db
		.select({ userId: passwordReset.userId })
		.from(passwordReset)
		.where(and(eq(passwordReset.tokenHash, hashToken(token)), gt(passwordReset.expiresAt, now)));
	return rows.length > 0;
}

/**
 * Uses a link: deleted in the same statement that checks it (so it works once, even if sent
 * twice at once), then the new password set, every session and remembered device of the user
 * ended, and their other links dropped. False when the link is unknown, used or expired.
 */
export async function completeReset(
	db: Db,
	input: { token: string; newPassword: string; now?: Date }
): Promise<boolean> {
	const now = input.now ?? new Date();
	if (input.token.length > 64) return false;
	const used = await db
		.delete(passwordReset)
		.where(
			and(eq(passwordReset.tokenHash, hashToken(input.token)), gt(passwordReset.expiresAt, now))
		)
		.returning({ userId: passwordReset.userId });
	const userId = used[0]?.userId;
	if (userId === undefined) return false;
	await changePassword(db, { userId, newPassword: input.newPassword });
	await db.delete(passwordReset).where(eq(passwordReset.userId, userId));
	// Expired links of anyone: nothing can use them any more.
	await db.delete(passwordReset).where(lte(passwordReset.expiresAt, now));
	return true;
}
