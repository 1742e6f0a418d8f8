import { db } from '$lib/server/db';
import { unreadCount } from '$lib/server/notifications/notify';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
	// The bell asks again now and then, and when the app comes back to the foreground.
	depends('kring:unread');
	return {
		user: locals.user === null ? null : { id: locals.user.id, name: locals.user.name },
		// The bell's count; form actions re-run this load (invalidateAll), so marking read updates it.
		unread: locals.user === null ? 0 : await unreadCount(db, locals.user.id)
	};
};
