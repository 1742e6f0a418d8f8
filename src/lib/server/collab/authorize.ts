import type { IncomingMessage } from 'node:http';
import { kaizenContentCheck } from '$lib/collab/kaizen';
import { documentAccess, parseDocumentName } from '$lib/domain/documents';
import { and, eq, inArray } from 'drizzle-orm';
import {
	ACTIVITY_REFRESH_MS,
	isSessionAlive,
	SESSION_COOKIE,
	validateSessionTokenBriefly
} from '$lib/server/auth/session';
import * as accessLog from '$lib/server/caseload/access-log';
import { meeting, membership, session } from '$lib/server/db/schema';
import type { Db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { Capability } from './engine/connection';
import { COLLAB_PATH, type Authorization } from './server';

export interface AuthorizeOptions {
	db: Db;
	idleTimeoutMs: number;
	/** The app's public origin (ORIGIN), or null to accept only the request's own host. */
	origin: string | null;
	/** Run before access is decided: closes the team's rounds whose deadline passed. */
	beforeAccess?: (teamId: string) => Promise<unknown>;
}

function readCookie(header: string | undefined, name: string): string | null {
	for (const part of (header ?? '').split(';')) {
		const eq = part.indexOf('=');
		if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
	}
	return null;
}

/** SvelteKit's CSRF check does not cover WebSocket upgrades: a page elsewhere could open one. */
function sameOrigin(request: IncomingMessage, configured: string | null): boolean {
	const origin = request.headers.origin;
	if (origin === undefined) return false;
	if (configured !== null) return origin === configured;
	const host = request.headers.host;
	return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

/** A meeting's document exists only for a meeting planned in that team. */
async function meetingExists(db: Db, teamId: string, meetingId: string): Promise<boolean> {
	const rows = await db
		.select({ id: meeting.id })
		.from(meeting)
		.where(and(eq(meeting.id, meetingId), eq(meeting.teamId, teamId)))
		.limit(1);
	return rows.length > 0;
}

/**
 * Who asks for which document, decided once per connection at upgrade:
 * no session → 401; foreign Origin → 403; malformed name or a meeting never planned → 404;
 * no access → 403. Opening the caseload (every client card) is recorded in the access trace.
 */
export function createAuthorizer(options: AuthorizeOptions) {
	return async (request: IncomingMessage): Promise<Authorization> => {
		const token = readCookie(request.headers.cookie, SESSION_COOKIE);
		const valid =
			token === null
				? null
				: await validateSessionTokenBriefly(options.db, token, {
						idleTimeoutMs: options.idleTimeoutMs
					});
		if (valid === null) return { ok: false, status: 401, reason: 'no session' };
		if (!sameOrigin(request, options.origin)) return { ok: false, status: 403, reason: 'origin' };

		const path = new URL(request.url ?? '/', 'http://localhost').pathname;
		let name: string;
		try {
			name = decodeURIComponent(path.slice(COLLAB_PATH.length));
		} catch {
			return { ok: false, status: 404, reason: 'unknown document' };
		}
		const doc = parseDocumentName(name);
		if (doc === null) return { ok: false, status: 404, reason: 'unknown document' };

		await options.beforeAccess?.(doc.teamId);
		const relation = await teams.access(options.db, valid.user.id, doc.teamId);
		const access = documentAccess(doc, relation?.kind ?? null);
		if (access === 'none') return { ok: false, status: 403, reason: 'no access' };
		if (doc.kind === 'meeting' && !(await meetingExists(options.db, doc.teamId, doc.meetingId))) {
			return { ok: false, status: 404, reason: 'unknown document' };
		}
		if (doc.kind === 'caseload') {
			await accessLog.record(options.db, {
				teamId: doc.teamId,
				clientId: null,
				userId: valid.user.id
			});
		}
		return {
			ok: true,
			capability: {
				userId: valid.user.id,
				userName: valid.user.name,
				docName: name,
				teamId: doc.teamId,
				canWrite: access === 'write',
				sessionId: valid.session.id,
				contentCheck: doc.kind === 'kaizen' ? kaizenContentCheck : undefined
			}
		};
	};
}

/**
 * The periodic re-check of open connections: is the session still there and within its
 * lifetime, is the user still a member of the document's team? An open board counts as activity,
 * so it keeps its session from idling out.
 */
export function createRecheck(options: { db: Db; idleTimeoutMs: number }) {
	return async (capabilities: Capability[]): Promise<boolean[]> => {
		const now = new Date();
		const sessionIds = [...new Set(capabilities.map((c) => c.sessionId))];
		const userIds = [...new Set(capabilities.map((c) => c.userId))];
		const [sessions, memberships] = await Promise.all([
			options.db
				.select({
					id: session.id,
					createdAt: session.createdAt,
					lastVerifiedAt: session.lastVerifiedAt
				})
				.from(session)
				.where(inArray(session.id, sessionIds)),
			options.db
				.select({ teamId: membership.teamId, userId: membership.userId })
				.from(membership)
				.where(inArray(membership.userId, userIds))
		]);
		const alive = new Set(
			sessions.filter((s) => isSessionAlive(s, now, options.idleTimeoutMs)).map((s) => s.id)
		);
		const stale = sessions
			.filter(
				(s) => alive.has(s.id) && now.getTime() - s.lastVerifiedAt.getTime() > ACTIVITY_REFRESH_MS
			)
			.map((s) => s.id);
		if (stale.length > 0) {
			await options.db
				.update(session)
				.set({ lastVerifiedAt: now })
				.where(inArray(session.id, stale));
		}
		const member = new Set(memberships.map((m) => `${m.teamId}:${m.userId}`));
		return capabilities.map((c) => alive.has(c.sessionId) && member.has(`${c.teamId}:${c.userId}`));
	};
}
