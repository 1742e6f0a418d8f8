import { fail } from '@sveltejs/kit';
import { parseForm, signupSchema, type FieldErrors } from '$lib/domain/forms';
import * as accounts from '$lib/server/accounts/accounts';
import * as arrival from '$lib/server/auth/arrival';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => arrival.guestOnly(event);

const noErrors: FieldErrors<'name' | 'email' | 'password'> = {};

/** One shape for every answer of the form, so the page reads them alike. */
interface SignupForm {
	name: string;
	email: string;
	errors: FieldErrors<'name' | 'email' | 'password'>;
	message?: 'unavailable';
	retryAt?: string;
}
const answer = (form: SignupForm): SignupForm => form;

export const actions: Actions = {
	default: async (event) => {
		const form = await readForm(event.request);
		const values = { email: echo(form, 'email'), name: echo(form, 'name', 100) };
		const parsed = parseForm(signupSchema, form);
		if (!parsed.ok) return fail(400, answer({ ...values, errors: parsed.errors }));

		const result = await accounts.signUp(db, {
			...parsed.data,
			...arrival.origin(event)
		});
		if (!result.ok && result.reason === 'throttled') {
			return fail(
				429,
				answer({ ...values, errors: noErrors, retryAt: result.retryAt.toISOString() })
			);
		}
		if (!result.ok)
			return fail(400, answer({ ...values, errors: noErrors, message: 'unavailable' }));

		await arrival.enter(event, result.userId);
	}
};
