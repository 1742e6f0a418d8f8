import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { and, eq, gte, lt } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { loginDevice, user } from '$lib/server/db/schema';
import { randomToken } from './random';
import { DAY_MS } from '$lib/domain/week';

// OWASP's device cookies
// (https://owasp.org/www-community/Slow_Down_Online_Guessing_Attacks_with_Device_Cookies): a
// browser that has logged in to an account keeps a random token; only its SHA-256 is stored. A
// login attempt carrying it is throttled per device instead of per account, so failures sent on
// purpose by someone who only knows the email cannot lock the owner out of their own devices.

/** A device unused for this long is forgotten; the next login from it counts as a new device. */
const DEVICE_MAX_AGE_MS = 180 * DAY_MS;
export const DEVICE_COOKIE = 'device';
/** `randomToken(20)`: 160 bits in lower-case base32. */
const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

interface CookieEvent {
	cookies: Cookies;
	url: URL;
}

function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * The device's throttle id when `token` was issued to the account of `email` and is still fresh;
 * null for no token, a forged one, or one issued to another account.
 */
export async function recognise(
	db: Db,
	input: { token: string | null | undefined; email: string; now?: Date }
): Promise<string | null> {
	if (typeof input.token !== 'string' || !TOKEN_PATTERN.test(input.token)) return null;
	const now = input.now ?? new Date();
	const rows = await db
		.select({ tokenHash: loginDevice.tokenHash })
		.from(loginDevice)
		.innerJoin(user, eq(user.id, loginDevice.userId))
		.where(
			and(
				eq(loginDevice.tokenHash, hashToken(input.token)),
				eq(user.email, input.email),
				gte(loginDevice.lastUsedAt, new Date(now.getTime() - DEVICE_MAX_AGE_MS))
			)
		)
		.limit(1);
	return rows[0]?.tokenHash ?? null;
}

function setDeviceCookie(event: CookieEvent, token: string, now: Date): void {
	event.cookies.set(DEVICE_COOKIE, token, {
		path: '/',
		httpOnly: true,
		// Only ever read by this site's own login and sign-up forms.
		sameSite: 'strict',
		secure: event.url.protocol === 'https:',
		expires: new Date(now.getTime() + DEVICE_MAX_AGE_MS)
	});
}

/**
 * After the user proved their password: the browser's token for this user is kept fresh, or a new
 * one is issued (replacing a token of another account: one browser, one remembered account).
 */
export async function remember(
	db: Db,
	event: CookieEvent,
	userId: string,
	now = new Date()
): Promise<void> {
	const presented = event.cookies.get(DEVICE_COOKIE);
	if (presented !== undefined && TOKEN_PATTERN.test(presented)) {
		const kept = await db
			.update(loginDevice)
			.set({ lastUsedAt: now })
			.where(and(eq(loginDevice.tokenHash, hashToken(presented)), eq(loginDevice.userId, userId)))
			.returning({ tokenHash: loginDevice.tokenHash });
		if (kept.length > 0) {
			setDeviceCookie(event, presented, now);
			return;
		}
	}
	const token = randomToken(20);
	await db
		.insert(loginDevice)
		.values({ tokenHash: hashToken(token), userId, createdAt: now, lastUsedAt: now });
	await db
		.delete(loginDevice)
		.where(
			and(
				eq(loginDevice.userId, userId),
				lt(loginDevice.lastUsedAt, new Date(now.getTime() - DEVICE_MAX_AGE_MS))
			)
		);
	setDeviceCookie(event, token, now);
}

/** Forgets every device of the user (after a password change: trust starts again). */
export async function forgetAll(db: Pick<Db, 'delete'>, userId: string): Promise<void> {
	await db.delete(loginDevice).where(eq(loginDevice.userId, userId));
}
