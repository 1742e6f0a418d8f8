import { error, json } from '@sveltejs/kit';
import { z } from 'zod';
import { pushSubscriptionSchema } from '$lib/domain/notifications';
import { m } from '$lib/paraglide/messages';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { subscribe, unsubscribe } from '$lib/server/notifications/push';
import type { RequestHandler } from './$types';

async function body(request: Request): Promise<unknown> {
	try {
		return await request.json();
	} catch {
		error(400, m.error_form_unreadable());
	}
}

/** This device opts in to push: its subscription (zod-checked) is kept for the signed-in member. */
export const POST: RequestHandler = async (event) => {
	const user = requireUser(event);
	const parsed = pushSubscriptionSchema.safeParse(await body(event.request));
	if (!parsed.success) {
		return json(
			{ errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), code: 'invalid' })) },
			{ status: 400 }
		);
	}
	await subscribe(db, user.id, parsed.data);
	return json({ ok: true });
};

/** This device opts out. */
export const DELETE: RequestHandler = async (event) => {
	const user = requireUser(event);
	const parsed = z.object({ endpoint: z.string().max(2048) }).safeParse(await body(event.request));
	if (!parsed.success)
		return json({ errors: [{ field: 'endpoint', code: 'invalid' }] }, { status: 400 });
	await unsubscribe(db, user.id, parsed.data.endpoint);
	return json({ ok: true });
};
