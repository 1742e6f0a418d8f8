import { redirect } from '@sveltejs/kit';
import { confirmPasswordSchema, parseForm } from '$lib/domain/forms';
import * as accounts from '$lib/server/accounts/accounts';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as services from '$lib/server/services';
import type { RequestHandler } from './$types';

/** Downloads the person's own data, after asking for their password again. */
export const POST: RequestHandler = async (event) => {
	const user = requireUser(event);
	const parsed = parseForm(confirmPasswordSchema, await readForm(event.request));
	if (!parsed.ok) redirect(303, '/account?export=invalid#export');
	const confirmed = await accounts.confirmPassword(db, {
		userId: user.id,
		password: parsed.data.password,
		address: event.getClientAddress()
	});
	if (!confirmed.ok && confirmed.reason === 'throttled') {
		redirect(303, `/account?export=throttled&retry=${confirmed.retryAt.getTime()}#export`);
	}
	if (!confirmed.ok) redirect(303, '/account?export=invalid#export');

	const data = await accounts.exportData(db, services.collab(), user.id);
	const day = new Date().toISOString().slice(0, 10);
	return new Response(JSON.stringify(data, null, 2), {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			'content-disposition': `attachment; filename="kring-${day}.json"`,
			'cache-control': 'no-store'
		}
	});
};
