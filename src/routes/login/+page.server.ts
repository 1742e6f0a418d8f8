import { fail } from '@sveltejs/kit';
import { loginSchema, parseForm, type FieldErrors } from '$lib/domain/forms';
import * as accounts from '$lib/server/accounts/accounts';
import * as arrival from '$lib/server/auth/arrival';
import { takeClearDevice } from '$lib/server/auth/cookie';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => ({
	...arrival.guestOnly(event),
	clearDevice: takeClearDevice(event)
});

const noErrors: FieldErrors<'email' | 'password'> = {};

/** One shape for every answer of the form, so the page reads them alike. */
interface LoginForm {
	email: string;
	errors: FieldErrors<'email' | 'password'>;
	message?: 'invalid';
	retryAt?: string;
}
const answer = (form: LoginForm): LoginForm => form;

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const email = echo(form, 'email');
		const parsed = parseForm(loginSchema, form);
		if (!parsed.ok) return fail(400, answer({ email, errors: parsed.errors }));

		const result = await accounts.logIn(db, {
			...parsed.data,
			...arrival.origin(event)
		});
		if (!result.ok && result.reason === 'throttled') {
			return fail(429, answer({ email, errors: noErrors, retryAt: result.retryAt.toISOString() }));
		}
		if (!result.ok) return fail(400, answer({ email, errors: noErrors, message: 'invalid' }));

		await arrival.enter(event, result.userId);
	}
};
