import { fail, redirect } from '@sveltejs/kit';
import { loginSchema, parseForm, type FieldErrors } from '$lib/domain/forms';
import * as accounts from '$lib/server/accounts/accounts';
import { startSession } from '$lib/server/auth/cookie';
import * as devices from '$lib/server/auth/device';
import { safeNext } from '$lib/domain/safe-next';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user !== null) redirect(303, safeNext(url.searchParams.get('next')));
	return { next: safeNext(url.searchParams.get('next')) };
};

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
			address: event.getClientAddress(),
			device: event.cookies.get(devices.DEVICE_COOKIE)
		});
		if (!result.ok && result.reason === 'throttled') {
			return fail(429, answer({ email, errors: noErrors, retryAt: result.retryAt.toISOString() }));
		}
		if (!result.ok) return fail(400, answer({ email, errors: noErrors, message: 'invalid' }));

		await startSession(db, event, result.userId);
		await devices.remember(db, event, result.userId);
		redirect(303, safeNext(event.url.searchParams.get('next')));
	}
};
