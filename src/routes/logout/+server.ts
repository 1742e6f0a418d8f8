import { redirect } from '@sveltejs/kit';
import { askToClearDevice, clearSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { db } from '$lib/server/db';
import type { RequestHandler } from './$types';

// A POST only: logging out by GET would let any page log a user out with an <img>.
export const POST: RequestHandler = async (event) => {
	if (event.locals.session !== null) await invalidateSession(db, event.locals.session.id);
	clearSessionCookie(event);
	// The login page then clears this device's caches and offline copies once more (see there).
	askToClearDevice(event);
	redirect(303, '/login');
};
