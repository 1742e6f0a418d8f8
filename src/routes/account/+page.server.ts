import { fail, redirect } from '@sveltejs/kit';
import {
	confirmPasswordSchema,
	parseForm,
	passwordChangeSchema,
	profileSchema,
	type FieldErrorCode,
	type FieldErrors
} from '$lib/domain/forms';
import * as accounts from '$lib/server/accounts/accounts';
import { askToClearDevice, clearSessionCookie, startSession } from '$lib/server/auth/cookie';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as services from '$lib/server/services';
import { preferencesFromForm, preferencesSchema } from '$lib/domain/notifications';
import { preferencesFor, savePreferences } from '$lib/server/notifications/preferences';
import type { Actions, PageServerLoad } from './$types';

type AccountErrors = FieldErrors<
	'name' | 'currentPassword' | 'newPassword' | 'confirmPassword' | 'password'
> &
	Partial<Record<string, FieldErrorCode>>;
export type Outcome = {
	action: 'rename' | 'password' | 'erase' | 'notifications';
	errors: AccountErrors;
	done?: boolean;
	retryAt?: string;
};

/** Keeps every action's answer one shape, so the page reads them alike. */
const outcome = (o: Outcome): Outcome => o;

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const account = await accounts.get(db, user.id);
	if (account === null) redirect(303, '/login');
	const preferences = await preferencesFor(db, user.id);
	return {
		account: { name: account.name, email: account.email },
		preferences: [...preferences].map(([kind, p]) => ({ kind, ...p }))
	};
};

/** Asks for the password again before a sensitive act; an Outcome to return when it fails. */
async function reauthenticate(
	event: Parameters<Actions[string]>[0],
	userId: string,
	password: string,
	action: Outcome['action'],
	field: 'currentPassword' | 'password'
) {
	const confirmed = await accounts.confirmPassword(db, {
		userId,
		password,
		address: event.getClientAddress()
	});
	if (confirmed.ok) return null;
	if (confirmed.reason === 'throttled') {
		return fail(429, outcome({ action, errors: {}, retryAt: confirmed.retryAt.toISOString() }));
	}
	return fail(400, outcome({ action, errors: { [field]: 'invalid' } as AccountErrors }));
}

export const actions: Actions = {
	rename: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const parsed = parseForm(profileSchema, form);
		if (!parsed.ok) return fail(400, outcome({ action: 'rename', errors: parsed.errors }));
		await accounts.rename(db, { userId: user.id, name: parsed.data.name });
		return outcome({ action: 'rename', errors: {}, done: true });
	},

	password: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const parsed = parseForm(passwordChangeSchema, form);
		if (!parsed.ok) return fail(400, outcome({ action: 'password', errors: parsed.errors }));
		const refused = await reauthenticate(
			event,
			user.id,
			parsed.data.currentPassword,
			'password',
			'currentPassword'
		);
		if (refused !== null) return refused;
		// Ends every session of the user, this one included; this browser gets a fresh one.
		await accounts.changePassword(db, { userId: user.id, newPassword: parsed.data.newPassword });
		await startSession(db, event, user.id);
		return outcome({ action: 'password', errors: {}, done: true });
	},

	notifications: async (event) => {
		const user = requireUser(event);
		const parsed = parseForm(preferencesSchema, await readForm(event.request));
		if (!parsed.ok) return fail(400, outcome({ action: 'notifications', errors: parsed.errors }));
		await savePreferences(db, user.id, preferencesFromForm(parsed.data));
		return outcome({ action: 'notifications', errors: {}, done: true });
	},

	erase: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const parsed = parseForm(confirmPasswordSchema, form);
		if (!parsed.ok) return fail(400, outcome({ action: 'erase', errors: parsed.errors }));
		const refused = await reauthenticate(event, user.id, parsed.data.password, 'erase', 'password');
		if (refused !== null) return refused;
		await accounts.erase(db, services.collab(), user.id);
		clearSessionCookie(event);
		// Their pages and offline copies leave this device too (the login page clears it).
		askToClearDevice(event);
		redirect(303, '/login');
	}
};
