import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { rotaTake, session, user } from '$lib/server/db/schema';
import type { CollabServer } from '$lib/server/collab/server';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '$lib/server/auth/password';
import { newId } from '$lib/server/auth/random';
import * as devices from '$lib/server/auth/device';
import { forgetSessionChecks } from '$lib/server/auth/session';
import * as throttle from '$lib/server/auth/throttle';
import * as documents from './documents';

export { exportData } from './export';

export type LogInResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAt: Date };

export type SignUpResult =
	| { ok: true; userId: string }
	| { ok: false; reason: 'unavailable' }
	| { ok: false; reason: 'throttled'; retryAt: Date };

async function findByEmail(db: Db, email: string) {
	const rows = await db.select().from(user).where(eq(user.email, email)).limit(1);
	return rows[0] ?? null;
}

/**
 * Checks an email and password, throttled per account and per address, or, from a device that has
 * logged in to this account before (its token in `device`), per device only. Unknown emails take
 * the same time and the same path as wrong passwords.
 */
export async function logIn(
	db: Db,
	input: { email: string; password: string; address: string; device?: string | null; now?: Date }
): Promise<LogInResult> {
	const device = await devices.recognise(db, {
		token: input.device,
		email: input.email,
		now: input.now
	});
	const keys =
		device === null ? throttle.loginKeys(input.email, input.address) : throttle.deviceKeys(device);
	const verdict = await throttle.check(db, keys, input.now);
	if (!verdict.ok) return { ok: false, reason: 'throttled', retryAt: verdict.retryAt };

	const found = await findByEmail(db, input.email);
	const valid =
		found === null
			? await verifyAgainstNothing(input.password)
			: await verifyPassword(found.passwordHash, input.password);
	if (found === null || !valid) {
		await throttle.recordFailure(db, keys, input.now);
		return { ok: false, reason: 'invalid' };
	}
	await throttle.clear(db, keys[0]);
	return { ok: true, userId: found.id };
}

/**
 * Creates an account. An email that already has one is answered as a log-in attempt when the
 * password matches (the person simply signed up twice) and otherwise with a neutral refusal that
 * counts as a failed log-in, so sign-up cannot be used to guess passwords.
 */
export async function signUp(
	db: Db,
	input: { name: string; email: string; password: string; address: string; device?: string | null }
): Promise<SignUpResult> {
	if ((await findByEmail(db, input.email)) !== null) {
		const attempt = await logIn(db, input);
		if (attempt.ok) return attempt;
		return attempt.reason === 'throttled' ? attempt : { ok: false, reason: 'unavailable' };
	}
	const id = newId();
	const passwordHash = await hashPassword(input.password);
	const inserted = await db
		.insert(user)
		.values({ id, email: input.email, name: input.name, passwordHash })
		.onConflictDoNothing({ target: user.email })
		.returning({ id: user.id });
	// Lost a race with another sign-up for the same address.
	if (inserted.length === 0) return { ok: false, reason: 'unavailable' };
	return { ok: true, userId: id };
}

/**
 * The fresh password asked before sensitive acts. Wrong answers count as failed log-ins for the
 * account, so this cannot be used to guess the password of an open session either.
 */
export async function confirmPassword(
	db: Db,
	input: { userId: string; password: string; address: string }
): Promise<
	| { ok: true }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAt: Date }
> {
	const rows = await db.select().from(user).where(eq(user.id, input.userId)).limit(1);
	const found = rows[0];
	if (found === undefined) return { ok: false, reason: 'invalid' };
	const keys = throttle.loginKeys(found.email, input.address);
	const verdict = await throttle.check(db, keys);
	if (!verdict.ok) return { ok: false, reason: 'throttled', retryAt: verdict.retryAt };
	if (!(await verifyPassword(found.passwordHash, input.password))) {
		await throttle.recordFailure(db, keys);
		return { ok: false, reason: 'invalid' };
	}
	return { ok: true };
}

/** Sets a new password and ends every session of the user; the caller opens a fresh one. */
export async function changePassword(
	db: Db,
	input: { userId: string; newPassword: string }
): Promise<void> {
	const passwordHash = await hashPassword(input.newPassword);
	await db.transaction(async (tx) => {
		await tx.update(user).set({ passwordHash }).where(eq(user.id, input.userId));
		await tx.delete(session).where(eq(session.userId, input.userId));
		await devices.forgetAll(tx, input.userId);
	});
	forgetSessionChecks((s) => s.userId === input.userId);
}

/** Remembers the member's language, so mail written to them later is in it. */
export async function setLocale(db: Db, input: { userId: string; locale: string }): Promise<void> {
	await db.update(user).set({ locale: input.locale }).where(eq(user.id, input.userId));
}

export async function rename(db: Db, input: { userId: string; name: string }): Promise<void> {
	await db.update(user).set({ name: input.name }).where(eq(user.id, input.userId));
}

/**
 * Erases the account (GDPR right to erasure). First their name leaves what the team keeps: their
 * transmissions and board notes lose their author (pages show « Ancien membre »), each document
 * compacted so no stored update or snapshot keeps it. Then the user row goes, and with it sessions,
 * devices, memberships and coaching (foreign keys cascade); decisions, minutes, roles and traces keep
 * only the bare id, which names nobody any more.
 */
export async function erase(
	db: Db,
	collab: Pick<CollabServer, 'read' | 'erase'>,
	userId: string
): Promise<void> {
	const traces = await documents.tracesOf(db, userId);
	await documents.scrub(collab, traces, userId);
	// Who took which visit keeps a bare user id with no foreign key: it goes with the account.
	await db.transaction(async (tx) => {
		await tx.delete(rotaTake).where(eq(rotaTake.takerId, userId));
		await tx.delete(user).where(eq(user.id, userId));
	});
	forgetSessionChecks((s) => s.userId === userId);
}

export async function get(db: Db, userId: string) {
	const rows = await db
		.select({ id: user.id, email: user.email, name: user.name, createdAt: user.createdAt })
		.from(user)
		.where(eq(user.id, userId))
		.limit(1);
	return rows[0] ?? null;
}
