import { and, count, eq, gte, inArray, lt, min } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { loginFailure } from '$lib/server/db/schema';

export const WINDOW_MS = 15 * 60 * 1000;
/** Failures allowed per account in the window. */
const MAX_ACCOUNT_FAILURES = 5;
/**
 * Failures allowed per address. Higher than per account: a whole team often shares one office
 * address, and one colleague's typos should not lock everyone out.
 */
export const MAX_ADDRESS_FAILURES = 20;
/** Failures allowed per recognised device (see device.ts); it is exempt from the two above. */
const MAX_DEVICE_FAILURES = 5;

export type ThrottleVerdict = { ok: true } | { ok: false; retryAt: Date };

export interface ThrottleKey {
	key: string;
	max: number;
}

/** The keys a login attempt is throttled by: the account (known or not) and the client address. */
export function loginKeys(email: string, address: string): [ThrottleKey, ThrottleKey] {
	return [
		{ key: `account:${email}`, max: MAX_ACCOUNT_FAILURES },
		{ key: `address:${address}`, max: MAX_ADDRESS_FAILURES }
	];
}

/**
 * The key of an attempt from a device that has logged in to the account before. It is not
 * throttled by account or address: those locks exist against strangers, and a stranger failing on
 * purpose must not keep the owner out. A stolen device token still only gets its own few tries.
 */
export function deviceKeys(device: string): [ThrottleKey] {
	return [{ key: `device:${device}`, max: MAX_DEVICE_FAILURES }];
}

/** Refuses once any key has reached its number of failures in the last WINDOW_MS. */
export async function check(
	db: Db,
	keys: ThrottleKey[],
	now = new Date()
): Promise<ThrottleVerdict> {
	const since = new Date(now.getTime() - WINDOW_MS);
	const limits = new Map(keys.map((k) => [k.key, k.max]));
	const rows = await db
		.select({ key: loginFailure.key, failures: count(), oldest: min(loginFailure.at) })
		.from(loginFailure)
		.where(and(inArray(loginFailure.key, [...limits.keys()]), gte(loginFailure.at, since)))
		.groupBy(loginFailure.key);
	let retryAt: Date | null = null;
	for (const row of rows) {
		if (row.failures < (limits.get(row.key) ?? Infinity) || row.oldest === null) continue;
		// Retry when enough failures have aged out of the window; the oldest one is a safe bound.
		const at = new Date(new Date(row.oldest).getTime() + WINDOW_MS);
		if (retryAt === null || at > retryAt) retryAt = at;
	}
	return retryAt === null ? { ok: true } : { ok: false, retryAt };
}

export async function recordFailure(db: Db, keys: ThrottleKey[], now = new Date()): Promise<void> {
	await db.insert(loginFailure).values(keys.map(({ key }) => ({ key, at: now })));
	// Keep the table small: anything older than the window no longer counts.
	await db.delete(loginFailure).where(lt(loginFailure.at, new Date(now.getTime() - WINDOW_MS)));
}

export async function clear(db: Db, key: ThrottleKey): Promise<void> {
	await db.delete(loginFailure).where(eq(loginFailure.key, key.key));
}
