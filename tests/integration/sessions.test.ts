import { sha256 } from '@oslojs/crypto/sha2';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	SESSION_CHECK_REUSE_MS,
	SESSION_MAX_AGE_MS,
	validateSessionToken,
	validateSessionTokenBriefly,
	forgetSessionChecks
} from '../../src/lib/server/auth/session';
import { changePassword } from '../../src/lib/server/accounts/accounts';
import { session, user } from '../../src/lib/server/db/schema';
import { createTestDatabase } from '../helpers/database';

const HOUR = 60 * 60 * 1000;
const policy = { idleTimeoutMs: 12 * HOUR };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let userId = 0;

async function newUser(): Promise<string> {
	const id = `user-${++userId}`;
	await database.db
		.insert(user)
		.values({ id, email: `${id}@example.org`, name: `User ${userId}`, passwordHash: 'x' });
	return id;
}

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database.dispose();
});

describe('sessions', () => {
	it('hands out an <id>.<secret> token with at least 128 bits of secret', async () => {
		const { token } = await createSession(database.db, await newUser());
		const [id, secret] = token.split('.');
		expect(token.split('.')).toHaveLength(2);
		expect(id!.length).toBeGreaterThanOrEqual(20);
		// base32: 5 bits per character
		expect(secret!.length * 5).toBeGreaterThanOrEqual(128);
	});

	it('stores only the SHA-256 of the secret', async () => {
		const { token, session: created } = await createSession(database.db, await newUser());
		const secret = token.split('.')[1]!;
		const [row] = await database.db.select().from(session).where(eq(session.id, created.id));
		expect(Buffer.from(row!.secretHash)).toEqual(
			Buffer.from(sha256(new TextEncoder().encode(secret)))
		);
		expect(Buffer.from(row!.secretHash).toString()).not.toContain(secret);
	});

	it('validates the right token and returns its user', async () => {
		const owner = await newUser();
		const { token } = await createSession(database.db, owner);
		const result = await validateSessionToken(database.db, token, policy);
		expect(result?.user.id).toBe(owner);
		expect(result?.user.email).toBe(`${owner}@example.org`);
	});

	it('refuses a token whose secret is wrong, or that is malformed', async () => {
		const { token } = await createSession(database.db, await newUser());
		const [id, secret] = token.split('.') as [string, string];
		const flipped = (secret[0] === 'a' ? 'b' : 'a') + secret.slice(1);
		expect(await validateSessionToken(database.db, `${id}.${flipped}`, policy)).toBeNull();
		for (const bad of [
			'',
			'.',
			id,
			`${id}.`,
			`.${secret}`,
			`${id}.${secret}.x`,
			'x'.repeat(5000)
		]) {
			expect(await validateSessionToken(database.db, bad, policy)).toBeNull();
		}
		// the genuine token still works after all those attempts
		expect(await validateSessionToken(database.db, token, policy)).not.toBeNull();
	});

	it('ends a session idle for longer than the inactivity timeout, and deletes it', async () => {
		const start = new Date('2026-11-02T08:00:00Z');
		const { token, session: created } = await createSession(database.db, await newUser(), start);
		const almost = new Date(start.getTime() + 12 * HOUR - 1000);
		expect(
			await validateSessionToken(database.db, token, { ...policy, now: almost })
		).not.toBeNull();
		// that use refreshed the activity time, so 11 hours later it is still alive
		const later = new Date(almost.getTime() + 11 * HOUR);
		expect(
			await validateSessionToken(database.db, token, { ...policy, now: later })
		).not.toBeNull();
		const idle = new Date(later.getTime() + 12 * HOUR);
		expect(await validateSessionToken(database.db, token, { ...policy, now: idle })).toBeNull();
		expect(await database.db.select().from(session).where(eq(session.id, created.id))).toEqual([]);
	});

	it('ends every session after 30 days, however active', async () => {
		const start = new Date('2026-10-01T08:00:00Z');
		const { token } = await createSession(database.db, await newUser(), start);
		let now = start.getTime();
		while (now + 10 * HOUR < start.getTime() + SESSION_MAX_AGE_MS) {
			now += 10 * HOUR;
			expect(
				await validateSessionToken(database.db, token, { ...policy, now: new Date(now) })
			).not.toBeNull();
		}
		const expired = new Date(start.getTime() + SESSION_MAX_AGE_MS);
		expect(await validateSessionToken(database.db, token, { ...policy, now: expired })).toBeNull();
	});

	it('logs out one session, or all sessions of a user', async () => {
		const owner = await newUser();
		const a = await createSession(database.db, owner);
		const b = await createSession(database.db, owner);
		const c = await createSession(database.db, owner);
		await invalidateSession(database.db, a.session.id);
		expect(await validateSessionToken(database.db, a.token, policy)).toBeNull();
		expect(await validateSessionToken(database.db, b.token, policy)).not.toBeNull();
		await invalidateUserSessions(database.db, owner);
		expect(await validateSessionToken(database.db, b.token, policy)).toBeNull();
		expect(await validateSessionToken(database.db, c.token, policy)).toBeNull();
	});

	it('reuses a check for a moment, but never past a logout, a password change or a wrong secret', async () => {
		const owner = await newUser();
		const a = await createSession(database.db, owner);
		const b = await createSession(database.db, owner);
		const now = new Date();
		const at = (ms: number) => ({ ...policy, now: new Date(now.getTime() + ms) });
		expect((await validateSessionTokenBriefly(database.db, a.token, at(0)))?.user.id).toBe(owner);
		expect(await validateSessionTokenBriefly(database.db, b.token, at(0))).not.toBeNull();
		// The same id with another secret is checked, and refused.
		const [id] = a.token.split('.');
		expect(
			await validateSessionTokenBriefly(database.db, `${id}.${'x'.repeat(43)}`, at(1))
		).toBeNull();
		// A session removed behind this process's back is refused once the reuse time is over.
		await database.db.delete(session).where(eq(session.id, b.session.id));
		expect(
			await validateSessionTokenBriefly(database.db, b.token, at(SESSION_CHECK_REUSE_MS))
		).toBeNull();
		// Logging out here is seen at once.
		await invalidateSession(database.db, a.session.id);
		expect(await validateSessionTokenBriefly(database.db, a.token, at(2))).toBeNull();
		// So is a new password (a reset link ends every session the same way).
		const c = await createSession(database.db, owner);
		expect(await validateSessionTokenBriefly(database.db, c.token, at(3))).not.toBeNull();
		await changePassword(database.db, { userId: owner, newPassword: 'un mot de passe tout neuf' });
		expect(await validateSessionTokenBriefly(database.db, c.token, at(4))).toBeNull();
	});

	it('shares one check among a board’s documents opening at once, and keeps none that a logout overtook', async () => {
		const owner = await newUser();
		const a = await createSession(database.db, owner);
		const checks = await Promise.all(
			Array.from({ length: 20 }, () => validateSessionTokenBriefly(database.db, a.token, policy))
		);
		expect(new Set(checks).size).toBe(1); // one query's answer, the same object for all
		expect(checks[0]?.user.id).toBe(owner);

		// A logout lands while a check of the same session is under way (its forgetting runs before
		// the check's answer): the check answers as it found the session, but is not kept for the
		// next connection, which finds the session gone.
		const b = await createSession(database.db, owner);
		const underWay = validateSessionTokenBriefly(database.db, b.token, policy);
		forgetSessionChecks((s) => s.id === b.session.id);
		expect(await underWay).not.toBeNull();
		await database.db.delete(session).where(eq(session.id, b.session.id));
		expect(await validateSessionTokenBriefly(database.db, b.token, policy)).toBeNull();
	});
});
