import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as accounts from '../../src/lib/server/accounts/accounts';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import * as throttle from '../../src/lib/server/auth/throttle';
import { user } from '../../src/lib/server/db/schema';
import { startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let n = 0;
const address = () => `10.0.0.${++n}`;
const policy = { idleTimeoutMs: 12 * 60 * 60 * 1000 };

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database.dispose();
});

async function signUp(email: string, password = 'a long enough password') {
	const result = await accounts.signUp(database.db, {
		name: 'Nadia Haddad',
		email,
		password,
		address: address()
	});
	if (!result.ok) throw new Error(`sign-up failed: ${result.reason}`);
	return result.userId;
}

describe('accounts', () => {
	it('hashes passwords with argon2id, never storing them', async () => {
		const id = await signUp('nadia@example.org', 'tulipes et lavande');
		const [row] = await database.db.select().from(user).where(eq(user.id, id));
		expect(row!.passwordHash.startsWith('$argon2id$')).toBe(true);
		expect(row!.passwordHash).not.toContain('tulipes');
	});

	it('logs in with the right password only', async () => {
		const id = await signUp('karim@example.org', 'bonjour tout le monde');
		expect(
			await accounts.logIn(database.db, {
				email: 'karim@example.org',
				password: 'bonjour tout le monde',
				address: address()
			})
		).toEqual({ ok: true, userId: id });
		expect(
			await accounts.logIn(database.db, {
				email: 'karim@example.org',
				password: 'bonsoir tout le monde',
				address: address()
			})
		).toEqual({ ok: false, reason: 'invalid' });
	});

	it('answers an unknown email exactly like a wrong password', async () => {
		const result = await accounts.logIn(database.db, {
			email: 'nobody@example.org',
			password: 'whatever it is',
			address: address()
		});
		expect(result).toEqual({ ok: false, reason: 'invalid' });
	});

	it('throttles an account after 5 failures in 15 minutes, known or not, and says until when', async () => {
		await signUp('helene@example.org', 'le bon mot de passe');
		for (const email of ['helene@example.org', 'ghost@example.org']) {
			const start = new Date();
			for (let i = 0; i < 5; i++) {
				const r = await accounts.logIn(database.db, {
					email,
					password: 'wrong guess',
					address: address(),
					now: start
				});
				expect(r).toEqual({ ok: false, reason: 'invalid' });
			}
			const blocked = await accounts.logIn(database.db, {
				email,
				password: 'le bon mot de passe',
				address: address(),
				now: start
			});
			expect(blocked.ok).toBe(false);
			if (blocked.ok || blocked.reason !== 'throttled') throw new Error('expected a throttle');
			expect(blocked.retryAt.getTime() - start.getTime()).toBe(throttle.WINDOW_MS);
		}
		// Once the window has passed, the right password works again.
		const later = new Date(Date.now() + throttle.WINDOW_MS + 1000);
		const after = await accounts.logIn(database.db, {
			email: 'helene@example.org',
			password: 'le bon mot de passe',
			address: address(),
			now: later
		});
		expect(after.ok).toBe(true);
	});

	it('throttles an address that fails on many accounts', async () => {
		const from = '192.0.2.77';
		for (let i = 0; i < throttle.MAX_ADDRESS_FAILURES; i++) {
			await accounts.logIn(database.db, {
				email: `spray${i}@example.org`,
				password: 'guess',
				address: from
			});
		}
		const r = await accounts.logIn(database.db, {
			email: 'another@example.org',
			password: 'guess',
			address: from
		});
		expect(r.ok === false && r.reason).toBe('throttled');
	});

	it('forgets an account’s failures after a successful login', async () => {
		await signUp('oceane@example.org', 'mon mot de passe secret');
		for (let i = 0; i < 4; i++) {
			await accounts.logIn(database.db, {
				email: 'oceane@example.org',
				password: 'nope',
				address: address()
			});
		}
		expect(
			(
				await accounts.logIn(database.db, {
					email: 'oceane@example.org',
					password: 'mon mot de passe secret',
					address: address()
				})
			).ok
		).toBe(true);
		for (let i = 0; i < 4; i++) {
			await accounts.logIn(database.db, {
				email: 'oceane@example.org',
				password: 'nope',
				address: address()
			});
		}
		expect(
			(
				await accounts.logIn(database.db, {
					email: 'oceane@example.org',
					password: 'mon mot de passe secret',
					address: address()
				})
			).ok
		).toBe(true);
	});

	it('does not create a second account for an email, nor say so', async () => {
		const id = await signUp('fatou@example.org', 'premier mot de passe');
		// Same person signing up twice with her password: simply logged in.
		expect(
			await accounts.signUp(database.db, {
				name: 'Fatou',
				email: 'fatou@example.org',
				password: 'premier mot de passe',
				address: address()
			})
		).toEqual({ ok: true, userId: id });
		// Anyone else: the neutral refusal, counted as a failed login.
		expect(
			await accounts.signUp(database.db, {
				name: 'Fatou',
				email: 'fatou@example.org',
				password: 'autre mot de passe',
				address: address()
			})
		).toEqual({ ok: false, reason: 'unavailable' });
		expect(
			await database.db.select().from(user).where(eq(user.email, 'fatou@example.org'))
		).toHaveLength(1);
	});

	it('ends every session when the password changes', async () => {
		const id = await signUp('antoine@example.org', 'ancien mot de passe');
		const phone = await createSession(database.db, id);
		const office = await createSession(database.db, id);
		expect(
			(
				await accounts.confirmPassword(database.db, {
					userId: id,
					password: 'ancien mot de passe',
					address: address()
				})
			).ok
		).toBe(true);
		await accounts.changePassword(database.db, { userId: id, newPassword: 'nouveau mot de passe' });
		expect(await validateSessionToken(database.db, phone.token, policy)).toBeNull();
		expect(await validateSessionToken(database.db, office.token, policy)).toBeNull();
		expect(
			(
				await accounts.logIn(database.db, {
					email: 'antoine@example.org',
					password: 'ancien mot de passe',
					address: address()
				})
			).ok
		).toBe(false);
		expect(
			(
				await accounts.logIn(database.db, {
					email: 'antoine@example.org',
					password: 'nouveau mot de passe',
					address: address()
				})
			).ok
		).toBe(true);
	});

	it('refuses a sensitive act without the current password', async () => {
		const id = await signUp('pierre@example.org', 'le vrai mot de passe');
		expect(
			await accounts.confirmPassword(database.db, {
				userId: id,
				password: 'pas le bon',
				address: address()
			})
		).toEqual({ ok: false, reason: 'invalid' });
	});

	it('erases an account with its sessions', async () => {
		const id = await signUp('manon@example.org', 'effacez-moi svp');
		const s = await createSession(database.db, id);
		const harness = await startCollab(database.db);
		await accounts.erase(database.db, harness.collab, id);
		await harness.stop();
		expect(await accounts.get(database.db, id)).toBeNull();
		expect(await validateSessionToken(database.db, s.token, policy)).toBeNull();
	});
});
