import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as notifications from '$lib/server/notifications/notify';
import { vapid } from '$lib/server/notifications/push';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const [items, keys] = await Promise.all([
		notifications.list(db, user.id),
		vapid(db, 'mailto:no-reply@localhost')
	]);
	return {
		// The server's VAPID public key, for this device's opt-in to push (public by design).
		pushKey: keys.publicKey,
		items: items.map((n) => ({
			id: n.id,
			kind: n.kind,
			params: n.params,
			link: n.link,
			createdAt: n.createdAt.toISOString(),
			read: n.readAt !== null
		}))
	} as { pushKey: string; items: Item[] };
};

type Item = Pick<Awaited<ReturnType<typeof notifications.list>>[number], 'kind' | 'params'> & {
	id: string;
	link: string;
	createdAt: string;
	read: boolean;
};

const idSchema = z.object({ id: z.string().min(1).max(64) });

export const actions: Actions = {
	/** Opens one: marks it read and goes to what it is about. */
	open: async (event) => {
		const user = requireUser(event);
		const parsed = idSchema.safeParse(Object.fromEntries(await readForm(event.request)));
		if (!parsed.success) return fail(400, { refused: true });
		const item = (await notifications.list(db, user.id)).find((n) => n.id === parsed.data.id);
		if (item === undefined) return fail(404, { refused: true });
		await notifications.markRead(db, user.id, item.id);
		redirect(303, item.link);
	},

	read: async (event) => {
		const user = requireUser(event);
		const parsed = idSchema.safeParse(Object.fromEntries(await readForm(event.request)));
		if (!parsed.success) return fail(400, { refused: true });
		await notifications.markRead(db, user.id, parsed.data.id);
		return { done: true };
	},

	readAll: async (event) => {
		const user = requireUser(event);
		await notifications.markRead(db, user.id, null);
		return { done: true };
	}
};
