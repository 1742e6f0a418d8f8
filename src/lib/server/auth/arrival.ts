import { redirect, type RequestEvent } from '@sveltejs/kit';
import { safeNext } from '$lib/domain/safe-next';
import { getLocale } from '$lib/paraglide/runtime';
import { setLocale } from '$lib/server/accounts/accounts';
import { db } from '$lib/server/db';
import { startSession } from './cookie';
import * as devices from './device';

/** The login and sign-up pages: who is signed in already goes on to where they were heading. */
export function guestOnly(event: Pick<RequestEvent, 'locals' | 'url'>): { next: string } {
	const next = safeNext(event.url.searchParams.get('next'));
	if (event.locals.user !== null) redirect(303, next);
	return { next };
}

/** What the throttles key on: the caller's address and the browser's remembered-device token. */
export function origin(event: RequestEvent): { address: string; device: string | undefined } {
	return { address: event.getClientAddress(), device: event.cookies.get(devices.DEVICE_COOKIE) };
}

/** After a proved password: a session, the device remembered, and on to where they were heading. */
export async function enter(event: RequestEvent, userId: string): Promise<never> {
	await startSession(db, event, userId);
	await devices.remember(db, event, userId);
	// The language they use the app in is the one their e-mails will be written in.
	await setLocale(db, { userId, locale: getLocale() });
	redirect(303, safeNext(event.url.searchParams.get('next')));
}
