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

/**
 * Set at logout: the next page (the login page) clears this device's caches and offline copies
 * once the logged-out page, which may still hold them open, is gone. A cookie rather than a query
 * marker, so no link from elsewhere can make a device drop offline edits not sent yet.
 */
const CLEAR_DEVICE_COOKIE = 'kring_clear_device';

export function askToClearDevice(event: CookieEvent): void {
	event.cookies.set(CLEAR_DEVICE_COOKIE, '1', {
		path: '/',
		httpOnly: true,
		sameSite: 'strict',
		secure: event.url.protocol === 'https:',
		maxAge: 600
	});
}

/** Whether logging out asked for the device to be cleared (asked once: the request is taken). */
export function takeClearDevice(event: CookieEvent): boolean {
	if (event.cookies.get(CLEAR_DEVICE_COOKIE) === undefined) return false;
	event.cookies.delete(CLEAR_DEVICE_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'strict',
		secure: event.url.protocol === 'https:'
	});
	return true;
}
