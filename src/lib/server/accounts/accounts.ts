import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { coaching, invitation, membership, session, team, user } from '$lib/server/db/schema';
import { hashPassword, verifyAgainstNothing, verifyPassword } from '$lib/server/auth/password';
import { newId } from '$lib/server/auth/random';
import * as devices from '$lib/server/auth/device';
import * as throttle from '$lib/server/auth/throttle';

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
	const device = await devices.recognise(db, { token: input.device, email: input.email, now: input.now });
	const keys = device === null ? throttle.loginKeys(input.email, input.address) : throttle.deviceKeys(device);
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
): Promise<{ ok: true } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAt: Date }> {
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
}

export async function rename(db: Db, input: { userId: string; name: string }): Promise<void> {
	await db.update(user).set({ name: input.name }).where(eq(user.id, input.userId));
}

/** Erases the account: sessions, memberships and coaching go with it (foreign keys cascade). */
export async function erase(db: Db, userId: string): Promise<void> {
	await db.delete(user).where(eq(user.id, userId));
}

export async function get(db: Db, userId: string) {
	const rows = await db
		.select({ id: user.id, email: user.email, name: user.name, createdAt: user.createdAt })
		.from(user)
		.where(eq(user.id, userId))
		.limit(1);
	return rows[0] ?? null;
}

/**
 * Everything Kring keeps about a person, for them to take away (GDPR right of access and
 * portability). Secrets (password hash, session secrets, invitation tokens) are left out.
 */
export async function exportData(db: Db, userId: string) {
	const [account, memberships, coached, sessions, invitationsCreated] = await Promise.all([
		get(db, userId),
		db
			.select({
				team: team.name,
				profession: membership.profession,
				contractMinutes: membership.contractMinutes,
				joinedAt: membership.joinedAt
			})
			.from(membership)
			.innerJoin(team, eq(team.id, membership.teamId))
			.where(eq(membership.userId, userId)),
		db
			.select({ team: team.name, since: coaching.since })
			.from(coaching)
			.innerJoin(team, eq(team.id, coaching.teamId))
			.where(eq(coaching.userId, userId)),
		db
			.select({ startedAt: session.createdAt, lastUsedAt: session.lastVerifiedAt })
			.from(session)
			.where(eq(session.userId, userId)),
		db
			.select({
				team: team.name,
				kind: invitation.kind,
				createdAt: invitation.createdAt,
				expiresAt: invitation.expiresAt,
				usedAt: invitation.usedAt
			})
			.from(invitation)
			.innerJoin(team, eq(team.id, invitation.teamId))
			.where(eq(invitation.createdBy, userId))
	]);
	if (account === null) return null;
	return {
		exportedAt: new Date().toISOString(),
		account: { name: account.name, email: account.email, createdAt: account.createdAt },
		memberships,
		coaching: coached,
		sessions,
		invitationsCreated
	};
}
