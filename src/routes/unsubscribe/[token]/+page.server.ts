import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { readUnsubscribeToken, unsubscribe } from '$lib/server/notifications/unsubscribe';
import type { Actions, PageServerLoad } from './$types';

/**
 * RFC 8058: a GET only shows what the link would stop (mail scanners open links), the POST does
 * it, with no login: the signed token is the proof. Mail providers POST `List-Unsubscribe=One-Click`
 * here from their servers (auth/csrf.ts lets this one path through).
 */
export const load: PageServerLoad = async ({ params }) => {
	const target = await readUnsubscribeToken(db, params.token);
	if (target === null) error(404, m.unsubscribe_invalid());
	return { scope: target.scope };
};

export const actions: Actions = {
	default: async ({ params }) => {
		const target = await readUnsubscribeToken(db, params.token);
		if (target === null) return fail(404, { done: false });
		if (!(await unsubscribe(db, target))) return fail(404, { done: false });
		return { done: true };
	}
};
