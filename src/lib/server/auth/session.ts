import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { session as sessionTable, user as userTable } from '$lib/server/db/schema';
import { randomToken } from './random';
import { MINUTE_MS } from '$lib/domain/time';
import { DAY_MS } from '$lib/domain/week';

// Sessions as in the Lucia guide (https://lucia-auth.com/sessions/basic):
// token `<id>.<secret>`, only SHA-256(secret) stored, compared in constant time.

export const SESSION_MAX_AGE_MS = 30 * DAY_MS;
/** How stale `last_verified_at` may get before activity refreshes it (saves a write per request). */
export const ACTIVITY_REFRESH_MS = 5 * MINUTE_MS;
export const SESSION_COOKIE = 'session';

export interface SessionUser {
	id: string;
	email: string;
	name: string;
}

export interface ValidSession {
	id: string;
	userId: string;
	createdAt: Date;
	expiresAt: Date;
}

export interface SessionPolicy {
	idleTimeoutMs: number;
	now?: Date;
}

/** The lifetime rule: 30 days from login at most, and never idle for longer than the timeout. */
export function isSessionAlive(
	session: { createdAt: Date; lastVerifiedAt: Date },
	now: Date,
	idleTimeoutMs: number
): boolean {
	return (
		now.getTime() < session.createdAt.getTime() + SESSION_MAX_AGE_MS &&
		now.getTime() < session.lastVerifiedAt.getTime() + idleTimeoutMs
	);
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export async function createSession(
	db: Db,
	userId: string,
	now = new Date()
): Promise<{ token: string; session: ValidSession }> {
	const id = randomToken(15);
	const secret = randomToken(20); // 160 bits
	await db.insert(sessionTable).values({
		id,
		userId,
		secretHash: hashSecret(secret),
		createdAt: now,
		lastVerifiedAt: now
	});
	return {
		token: `${id}.${secret}`,
		session: { id, userId, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS) }
	};
}

export async function validateSessionToken(
	db: Db,
	token: string,
	policy: SessionPolicy
): Promise<{ session: ValidSession; user: SessionUser } | null> {
	const parts = token.split('.');
	if (parts.length !== 2) return null;
	const [id, secret] = parts as [string, string];
	if (id.length === 0 || id.length > 64 || secret.length === 0 || secret.length > 64) return null;

	const rows = await db
		.select({
			session: sessionTable,
			user: { id: userTable.id, email: userTable.email, name: userTable.name }
		})
		.from(sessionTable)
		.innerJoin(userTable, eq(sessionTable.userId, userTable.id))
		.where(eq(sessionTable.id, id))
		.limit(1);
	const row = rows[0];
	if (row === undefined) return null;

	if (!constantTimeEqual(hashSecret(secret), row.session.secretHash)) return null;

	const now = policy.now ?? new Date();
	const expiresAt = new Date(row.session.createdAt.getTime() + SESSION_MAX_AGE_MS);
	const idleSince = now.getTime() - row.session.lastVerifiedAt.getTime();
	if (!isSessionAlive(row.session, now, policy.idleTimeoutMs)) {
		await invalidateSession(db, id);
		return null;
	}
	if (idleSince >= ACTIVITY_REFRESH_MS) {
		await db.update(sessionTable).set({ lastVerifiedAt: now }).where(eq(sessionTable.id, id));
	}
	return {
		session: { id, userId: row.session.userId, createdAt: row.session.createdAt, expiresAt },
		user: row.user
	};
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
	await db.delete(sessionTable).where(eq(sessionTable.id, sessionId));
	forgetSessionChecks((s) => s.id === sessionId);
}

export async function invalidateUserSessions(db: Db, userId: string): Promise<void> {
	await db.delete(sessionTable).where(eq(sessionTable.userId, userId));
	forgetSessionChecks((s) => s.userId === userId);
}

/**
 * How long a live document's connection may reuse a session check made moments before. A board
 * opens several documents at once and a dropped network reconnects them all: one check serves them.
 * Ending a session on this instance forgets its checks at once (`invalidateSession`,
 * `invalidateUserSessions`, `forgetSessionChecks`); a session ended on another instance sharing the
 * database is refused within this time, and its open connections within the collab recheck's 3 s.
 */
export const SESSION_CHECK_REUSE_MS = 2_000;
const SESSION_CHECKS_KEPT = 10_000;
type SessionCheck = { session: ValidSession; user: SessionUser };
const recentChecks = new Map<string, { at: number; check: SessionCheck }>();
/** Checks under way, by token: a board opening many documents at once waits for one query. */
const checksUnderWay = new Map<string, Promise<SessionCheck | null>>();
/** Bumped whenever checks are forgotten: a check under way meanwhile is not kept. */
let forgottenAt = 0;

/** `validateSessionToken`, reusing a successful check of the same token made within `SESSION_CHECK_REUSE_MS`. */
export async function validateSessionTokenBriefly(
	db: Db,
	token: string,
	policy: SessionPolicy
): Promise<SessionCheck | null> {
	const now = (policy.now ?? new Date()).getTime();
	const recent = recentChecks.get(token);
	if (recent !== undefined && now - recent.at < SESSION_CHECK_REUSE_MS && now >= recent.at)
		return recent.check;
	// A test's own clock (`policy.now`) decides alone: no sharing with checks made at another time.
	const shared = policy.now === undefined ? checksUnderWay.get(token) : undefined;
	if (shared !== undefined) return shared;
	const generation = forgottenAt;
	const checking = validateSessionToken(db, token, policy);
	if (policy.now === undefined) checksUnderWay.set(token, checking);
	let check: SessionCheck | null;
	try {
		check = await checking;
	} finally {
		if (checksUnderWay.get(token) === checking) checksUnderWay.delete(token);
	}
	if (check === null) {
		recentChecks.delete(token);
		return null;
	}
	// A session ended while it was checked is not kept (the caller still gets this answer, as it
	// would have without sharing). Only tokens that were right are kept, so guessing cannot fill
	// the memory; still bounded.
	if (generation !== forgottenAt) return check;
	if (recentChecks.size >= SESSION_CHECKS_KEPT) recentChecks.clear();
	recentChecks.set(token, { at: now, check });
	return check;
}

/** Forgets the reusable checks of the sessions that match (ended, or their person erased). */
export function forgetSessionChecks(match: (session: ValidSession) => boolean): void {
	forgottenAt++;
	for (const [token, { check }] of recentChecks)
		if (match(check.session)) recentChecks.delete(token);
}
