import { error, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { MEMBER_PAGE_HEADER } from '$lib/domain/offline-cache';
import { m } from '$lib/paraglide/messages';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { config } from '$lib/server/config';
import { database, db, ready } from '$lib/server/db';
import { COLLAB_GLOBAL } from '$lib/server/collab/instance';
import { guardTeamRoute } from '$lib/server/auth/guard';
import { refuseMalformed } from '$lib/server/auth/request-shape';
import { refuseCrossSiteForm } from '$lib/server/auth/csrf';
import { SESSION_COOKIE, validateSessionToken } from '$lib/server/auth/session';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { seedDemo } from '$lib/server/seed/demo';
import * as services from '$lib/server/services';
import { resumeSplits } from '$lib/server/teams/split';
import { closeDueRoundsOnRead, startDeadlineTimer } from '$lib/server/governance/deadlines';
import { moveNotesToBoard } from '$lib/server/board/move-notes';
import { moveAbsencesToBoard } from '$lib/server/board/move-absences';
import { startNotificationJobs } from '$lib/server/notifications/jobs';

export const init: ServerInit = async () => {
	await ready();
	// The production entry (server.js) hands WebSocket upgrades to this instance.
	(globalThis as Record<symbol, unknown>)[COLLAB_GLOBAL] = services.collab();
	if (config.seed === 'auto') {
		await seedDemo(db, {
			collab: services.collab(),
			decisionMirror: services.decisionMirror(),
			adviceMirror: services.adviceMirror()
		});
	}
	// Once: the team page's notes leave the caseload document for the team's board document.
	await moveNotesToBoard(db, services.collab()).catch((error: unknown) =>
		console.error('[board] moving the notes out of the caseload failed:', error)
	);
	// Once: absences too, so the People page opens no client data.
	await moveAbsencesToBoard(db, services.collab()).catch((error: unknown) =>
		console.error('[board] moving the absences out of the caseload failed:', error)
	);
	// The read model is rebuildable: bring it in step with the documents at every start (a change
	// committed just before a crash may not have been projected yet).
	void services
		.projections()
		.rebuildAll()
		.catch((error: unknown) => console.error('[projection] rebuild at start failed:', error));
	// A split adopted just before a stop may not have moved its cards yet: finish it now (once).
	void resumeSplits(db, services.splitParts()).catch((error: unknown) =>
		console.error('[split] resuming at start failed:', error)
	);
	// Rounds whose deadline passed close even when nobody reads them (one instance per tick).
	const stopDeadlines = startDeadlineTimer(db, services.decisionMirror(), {
		everyMs: config.deadlineTickMs
	});
	// Reminder sweep, daily digest and (with SMTP_URL) outbox delivery: in-process timers.
	const stopJobs = startNotificationJobs(db);
	// Emitted once the live board has written its last commits (server.js): projections still
	// running finish before the database closes, and none starts after.
	process.once('sveltekit:shutdown', () => {
		stopDeadlines();
		stopJobs();
		void services
			.projections()
			.stop()
			.finally(() => database.close());
	});
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale)
		});
	});

/** Cross-site form posts are refused before anything else runs (see auth/csrf.ts). */
const sameOriginForms: Handle = ({ event, resolve }) =>
	refuseCrossSiteForm(event) ?? resolve(event);

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'strict-origin-when-cross-origin');
	h.set('X-Frame-Options', 'DENY');
	h.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
	if (event.url.protocol === 'https:') {
		h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	}
	return response;
};

/** JSON endpoints under /api take JSON bodies only (form posts cannot reach them cross-site). */
const jsonOnly: Handle = ({ event, resolve }) => {
	const { method } = event.request;
	if (event.url.pathname.startsWith('/api/') && method !== 'GET' && method !== 'HEAD') {
		const type = event.request.headers.get('content-type') ?? '';
		if (!/^application\/json\s*(;|$)/i.test(type)) error(415, m.error_json_only());
	}
	return resolve(event);
};

const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.session = null;
	event.locals.team = null;
	const token = event.cookies.get(SESSION_COOKIE);
	if (token !== undefined) {
		const result = await validateSessionToken(db, token, { idleTimeoutMs: config.sessionIdleMs });
		if (result === null) {
			clearSessionCookie(event);
		} else {
			event.locals.user = result.user;
			event.locals.session = result.session;
			setSessionCookie(event, token, result.session.expiresAt);
		}
	}
	return resolve(event);
};

/**
 * Marks pages rendered for a signed-in member: only those are kept on the device by the service
 * worker (src/service-worker.ts, rules in domain/offline-cache.ts), and logging out removes them.
 */
const markMemberPages: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const type = response.headers.get('content-type') ?? '';
	if (event.locals.user !== null && type.startsWith('text/html')) {
		response.headers.set(MEMBER_PAGE_HEADER, event.locals.user.id);
	}
	return response;
};

const guard: Handle = async ({ event, resolve }) => {
	refuseMalformed(event);
	await guardTeamRoute(db, event, {
		beforeAccess: (teamId) => closeDueRoundsOnRead(db, services.decisionMirror(), teamId)
	});
	return resolve(event);
};

export const handle = sequence(
	securityHeaders,
	sameOriginForms,
	i18n,
	jsonOnly,
	authenticate,
	markMemberPages,
	guard
);

export const handleError: HandleServerError = ({ error: err, status, message }) => {
	// Expected refusals (404, 413, 415, …) are not faults: say what SvelteKit said, log nothing.
	if (status < 500) return { message };
	const errorId = crypto.randomUUID();
	console.error(`[${errorId}]`, err);
	return { message: m.error_unexpected(), errorId };
};
