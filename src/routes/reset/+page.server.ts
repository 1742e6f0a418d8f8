import { fail } from '@sveltejs/kit';
import { parseForm, resetRequestSchema, type FieldErrors } from '$lib/domain/forms';
import { getLocale } from '$lib/paraglide/runtime';
import { requestReset } from '$lib/server/accounts/password-reset';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import type { Actions } from './$types';

interface ResetForm {
	email: string;
	errors: FieldErrors<'email'>;
	sent?: true;
	retryAt?: string;
}
const answer = (form: ResetForm): ResetForm => form;

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const email = echo(form, 'email');
		const parsed = parseForm(resetRequestSchema, form);
		if (!parsed.ok) return fail(400, answer({ email, errors: parsed.errors }));
		const result = await requestReset(db, {
			email: parsed.data.email,
			address: event.getClientAddress(),
			origin: config.origin,
			locale: getLocale()
		});
		if (!result.ok) {
			return fail(429, answer({ email, errors: {}, retryAt: result.retryAt.toISOString() }));
		}
		// Not awaited: the answer must not wait on (nor reveal) whether a mail is being made.
		return answer({ email, errors: {}, sent: true });
	}
};
