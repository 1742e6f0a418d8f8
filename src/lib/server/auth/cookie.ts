import type { Cookies } from '@sveltejs/kit';
import type { Db } from '$lib/server/db';
import { createSession, SESSION_COOKIE } from './session';

interface CookieEvent {
	cookies: Cookies;
	url: URL;
}

export function setSessionCookie(event: CookieEvent, token: string, expiresAt: Date): void {
	event.cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		expires: expiresAt
	});
}

export function clearSessionCookie(event: CookieEvent): void {
	event.cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:'
	});
}

/** Opens a session for the user and hands its token to the browser. */
export async function startSession(db: Db, event: CookieEvent, userId: string): Promise<void> {
	const { token, session } = await createSession(db, userId);
	setSessionCookie(event, token, session.expiresAt);
}
