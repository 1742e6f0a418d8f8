import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { NOTIFICATION_KINDS, type NotificationKind } from '$lib/domain/notifications';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { user } from '$lib/server/db/schema';
import { serverSecretValue } from '$lib/server/mail/secrets';
import { preferencesFor, stopEmail } from './preferences';

/** What one link stops: one kind of immediate e-mail, or the daily digest. */
export type UnsubscribeScope = NotificationKind | 'digest';

const SCOPES: readonly string[] = [...NOTIFICATION_KINDS, 'digest'];

const key = (db: Db) =>
	serverSecretValue(db, 'unsubscribe-hmac', () => randomBytes(32).toString('base64url'));

function mac(secret: string, payload: string): Buffer {
	return createHmac('sha256', secret).update(payload).digest();
}

/**
 * A link token `<payload>.<mac>`: the payload (user id and scope, base64url) signed with HMAC-SHA-256
 * under a key the server made for itself. Nothing is stored per mail, and a token cannot be made
 * for another user or another scope without the key.
 */
export async function unsubscribeToken(
	db: Db,
	userId: string,
	scope: UnsubscribeScope
): Promise<string> {
	const payload = Buffer.from(`${userId}:${scope}`).toString('base64url');
	return `${payload}.${mac(await key(db), payload).toString('base64url')}`;
}

export async function readUnsubscribeToken(
	db: Db,
	token: string
): Promise<{ userId: string; scope: UnsubscribeScope } | null> {
	if (token.length > 300) return null;
	const [payload, signature, extra] = token.split('.');
	if (!payload || !signature || extra !== undefined) return null;
	const expected = mac(await key(db), payload);
	const given = Buffer.from(signature, 'base64url');
	if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
	const [userId, scope] = Buffer.from(payload, 'base64url').toString().split(':');
	if (!userId || !scope || !SCOPES.includes(scope)) return null;
	return { userId, scope: scope as UnsubscribeScope };
}

/** The RFC 8058 headers of a mail: a one-click POST to the link stops that scope. */
export async function unsubscribeHeaders(
	db: Db,
	origin: string,
	userId: string,
	scope: UnsubscribeScope
): Promise<{ link: string; headers: Record<string, string> }> {
	const link = `${origin}/unsubscribe/${await unsubscribeToken(db, userId, scope)}`;
	return {
		link,
		headers: {
			'List-Unsubscribe': `<${link}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
		}
	};
}

/**
 * Carries out a valid link: that kind's e-mail off, or every kind now in the digest off. False
 * when the account is gone (nothing left to stop).
 */
export async function unsubscribe(
	db: Db,
	target: { userId: string; scope: UnsubscribeScope }
): Promise<boolean> {
	const found = await db.select({ id: user.id }).from(user).where(eq(user.id, target.userId));
	if (found.length === 0) return false;
	if (target.scope !== 'digest') {
		await stopEmail(db, target.userId, [target.scope]);
		return true;
	}
	const current = await preferencesFor(db, target.userId);
	const digestKinds = [...current].filter(([, p]) => p.email === 'digest').map(([k]) => k);
	await stopEmail(db, target.userId, digestKinds);
	return true;
}
