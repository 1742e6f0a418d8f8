import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseForm, resetPasswordSchema } from '../../src/lib/domain/forms';
import * as accounts from '../../src/lib/server/accounts/accounts';
import {
	completeReset,
	isUsable,
	requestReset,
	RESET_TTL_MS
} from '../../src/lib/server/accounts/password-reset';
import { createSession, validateSessionToken } from '../../src/lib/server/auth/session';
import { outbox, passwordReset } from '../../src/lib/server/db/schema';
import { deliverDue } from '../../src/lib/server/mail/outbox';
import { smtpTransport } from '../../src/lib/server/mail/transport';
import { createTestDatabase } from '../helpers/database';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

// "Mot de passe oublié ?" the Lucia way, on a real database, the mail read back from a real SMTP server.

const ORIGIN = 'http://localhost:3000';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let smtp: TestSmtp;
let userId: string;
let address = 0;
/** Each test asks from its own client address, so the per-client limit is tested on its own. */
const client = () => `10.0.0.${++address}`;

beforeAll(async () => {
	database = await createTestDatabase();
	smtp = await startSmtp();
	const created = await accounts.signUp(database.db, {
		name: 'Aïcha Benali',
		email: 'aicha@example.org',
		password: 'the old password 2026',
		address: '127.0.0.1'
	});
	if (!created.ok) throw new Error(created.reason);
	userId = created.userId;
});
afterAll(async () => {
	await smtp.close();
	await database.dispose();
});

async function ask(email: string, now?: Date) {
	const result = await requestReset(database.db, {
		email,
		address: client(),
		origin: ORIGIN,
		locale: 'fr',
		now
	});
	if (result.ok) await result.sending;
	return result;
}

async function linkFromOutbox(): Promise<string> {
	const [mail] = await database.db.select().from(outbox).orderBy(outbox.id);
	await database.db.delete(outbox);
	const link = /http:\/\/localhost:3000\/reset\/([a-z0-9]+)/.exec(mail!.text);
	return link![1]!;
}

describe('password reset', () => {
	it('answers the same whether or not the address has an account, and mails only an account', async () => {
		await database.db.delete(outbox);
		const unknown = await ask('nobody@example.org');
		expect(await database.db.select().from(outbox)).toHaveLength(0);
		const known = await ask('aicha@example.org');
		expect(Object.keys(unknown)).toEqual(Object.keys(known));
		expect(unknown.ok && known.ok).toBe(true);
		const rows = await database.db.select().from(outbox);
		expect(rows).toHaveLength(1);
		expect(rows[0]!.to).toBe('aicha@example.org');
		await database.db.delete(outbox);
		await database.db.delete(passwordReset);
	});

	it('sends a link that works once, keeps only its hash, and ends every session', async () => {
		const before = smtp.received.length;
		await ask('aicha@example.org');
		const transport = smtpTransport(smtp.url, 'Kring <kring@example.org>');
		await deliverDue(database.db, transport);
		transport.close();
		const [mail] = (await smtp.waitFor(before + 1)).slice(before);
		expect(mail!.headers.get('subject')).toBe('Kring\u00a0: réinitialiser votre mot de passe');
		expect(mail!.headers.get('content-language')).toBe('fr');
		const token = /\/reset\/([a-z0-9]+)/.exec(mail!.text)![1]!;
		expect(mail!.html).toContain(`href="${ORIGIN}/reset/${token}"`);
		await database.db.delete(outbox);
		// Only the SHA-256 of the token is stored.
		const stored = await database.db.select().from(passwordReset);
		expect(stored).toHaveLength(1);
		expect(stored[0]!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(stored)).not.toContain(token);

		const sessions = [
			await createSession(database.db, userId),
			await createSession(database.db, userId)
		];
		expect(await isUsable(database.db, token)).toBe(true);
		expect(await completeReset(database.db, { token, newPassword: 'a brand new password' })).toBe(
			true
		);
		for (const s of sessions) {
			expect(
				await validateSessionToken(database.db, s.token, { idleTimeoutMs: 3_600_000 })
			).toBeNull();
		}
		expect(
			(
				await accounts.logIn(database.db, {
					email: 'aicha@example.org',
					password: 'a brand new password',
					address: client()
				})
			).ok
		).toBe(true);
		// Used: it works no more.
		expect(await isUsable(database.db, token)).toBe(false);
		expect(await completeReset(database.db, { token, newPassword: 'yet another password' })).toBe(
			false
		);
	});

	it('expires 30 minutes after it was asked for', async () => {
		const asked = new Date('2027-02-01T10:00:00Z');
		await ask('aicha@example.org', asked);
		const token = await linkFromOutbox();
		const justBefore = new Date(asked.getTime() + RESET_TTL_MS - 1000);
		const atExpiry = new Date(asked.getTime() + RESET_TTL_MS);
		expect(await isUsable(database.db, token, justBefore)).toBe(true);
		expect(await isUsable(database.db, token, atExpiry)).toBe(false);
		expect(
			await completeReset(database.db, { token, newPassword: 'too late password', now: atExpiry })
		).toBe(false);
		expect(
			(
				await accounts.logIn(database.db, {
					email: 'aicha@example.org',
					password: 'a brand new password',
					address: client()
				})
			).ok
		).toBe(true);
	});

	it('is used once even when two tabs submit it at the same time', async () => {
		await ask('aicha@example.org');
		const token = await linkFromOutbox();
		const results = await Promise.all([
			completeReset(database.db, { token, newPassword: 'first tab password' }),
			completeReset(database.db, { token, newPassword: 'second tab password' })
		]);
		expect(results.filter(Boolean)).toHaveLength(1);
	});

	it('throttles per asked address, known or not, with the same answer', async () => {
		const at = new Date('2027-03-01T12:00:00Z');
		for (const email of ['aicha@example.org', 'ghost@example.org']) {
			for (let i = 0; i < 3; i++) expect((await ask(email, at)).ok).toBe(true);
			const fourth = await ask(email, at);
			expect(fourth).toEqual({ ok: false, reason: 'throttled', retryAt: expect.any(Date) });
		}
		// Three mails for the account, none for the unknown address.
		const rows = await database.db.select().from(outbox).where(eq(outbox.to, 'aicha@example.org'));
		expect(rows).toHaveLength(3);
		expect(await database.db.select().from(outbox)).toHaveLength(3);
	});

	it('asks the new password by the sign-up rules, and twice the same', () => {
		const form = (fields: Record<string, string>) => {
			const f = new FormData();
			for (const [k, v] of Object.entries(fields)) f.set(k, v);
			return f;
		};
		expect(
			parseForm(resetPasswordSchema, form({ newPassword: 'short', confirmPassword: 'short' }))
		).toEqual({
			ok: false,
			errors: { newPassword: 'password_too_short' }
		});
		expect(
			parseForm(
				resetPasswordSchema,
				form({ newPassword: 'a long enough password', confirmPassword: 'another long one' })
			)
		).toEqual({ ok: false, errors: { confirmPassword: 'passwords_differ' } });
	});
});
