import { redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/domain/safe-next';
import { setLocale } from '$lib/server/accounts/accounts';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { cookieMaxAge, cookieName, isLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/**
 * The language switch: remembers the choice in Paraglide's cookie (and, signed in, on the account,
 * for e-mails) and goes back to the page.
 */
export const POST: RequestHandler = async ({ request, cookies, locals }) => {
	const form = await readForm(request);
	const locale = form.get('locale');
	const next = form.get('next');
	if (typeof locale === 'string' && isLocale(locale)) {
		// Readable by the browser on purpose: Paraglide's client runtime reads it too.
		cookies.set(cookieName, locale, {
			path: '/',
			maxAge: cookieMaxAge,
			httpOnly: false,
			sameSite: 'lax'
		});
		// E-mails follow the same choice.
		if (locals.user !== null) await setLocale(db, { userId: locals.user.id, locale });
	}
	redirect(303, safeNext(typeof next === 'string' ? next : null));
};
