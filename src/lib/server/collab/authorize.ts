import type { IncomingMessage } from 'node:http';
import { documentAccess, parseDocumentName } from '$lib/domain/documents';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import type { Db } from '$lib/server/db';
import * as teams from '$lib/server/teams';
import { COLLAB_PATH, type Authorization } from './server';

export interface AuthorizeOptions {
	db: Db;
	idleTimeoutMs: number;
	/** The app's public origin (ORIGIN), or null to accept only the request's own host. */
	origin: string | null;
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

/**
 * Who asks for which document, decided once per connection at upgrade:
 * no session → 401; foreign Origin → 403; malformed name → 404; no access → 403.
 */
export function createAuthorizer(options: AuthorizeOptions) {
	return async (request: IncomingMessage): Promise<Authorization> => {
		const token = readCookie(request.headers.cookie, SESSION_COOKIE);
		const valid =
			token === null
				? null
				: await validateSessionToken(options.db, token, { idleTimeoutMs: options.idleTimeoutMs });
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

		const relation = await teams.access(options.db, valid.user.id, doc.teamId);
		const access = documentAccess(doc, relation?.kind ?? null);
		if (access === 'none') return { ok: false, status: 403, reason: 'no access' };
		return {
			ok: true,
			capability: {
				userId: valid.user.id,
				userName: valid.user.name,
				docName: name,
				teamId: doc.teamId,
				canWrite: access === 'write',
				sessionId: valid.session.id
			}
		};
	};
}
