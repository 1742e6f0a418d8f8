import { fail, redirect } from '@sveltejs/kit';
import { parseForm, resetPasswordSchema, type FieldErrors } from '$lib/domain/forms';
import { completeReset, isUsable } from '$lib/server/accounts/password-reset';
import { clearSessionCookie } from '$lib/server/auth/cookie';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params }) => ({
	usable: await isUsable(db, params.token)
});

type ResetErrors = FieldErrors<'newPassword' | 'confirmPassword'>;

export const actions: Actions = {
	default: async (event) => {
		const parsed = parseForm(resetPasswordSchema, await readForm(event.request));
		if (!parsed.ok) return fail(400, { errors: parsed.errors as ResetErrors, invalid: false });
		const done = await completeReset(db, {
			token: event.params.token,
			newPassword: parsed.data.newPassword
		});
		if (!done) return fail(400, { errors: {} as ResetErrors, invalid: true });
		// Every session of the account ended, this browser's included if it had one.
		clearSessionCookie(event);
		redirect(303, '/login?reset=done');
	}
};
