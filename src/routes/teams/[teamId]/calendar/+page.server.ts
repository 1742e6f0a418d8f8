import { memberTeam } from '$lib/server/auth/guard';
import * as calendar from '$lib/server/rota/calendar-feed';
import { db } from '$lib/server/db';
import { getLocale } from '$lib/paraglide/runtime';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	// Opening this page in another language moves the live feed's events to it.
	await calendar.followLanguage(db, { userId, teamId, locale: getLocale() });
	return {
		team: { id: teamId, name: teamName },
		activeSince: await calendar.activeSince(db, userId, teamId)
	};
};

export const actions: Actions = {
	/** A new private link; the previous one stops working. Shown once: only its hash is kept. */
	create: async ({ locals, url }) => {
		const { teamId, userId } = memberTeam(locals);
		const token = await calendar.createFeed(db, { userId, teamId, locale: getLocale() });
		return { feedUrl: `${url.origin}/feed/${token}.ics` };
	},
	revoke: async ({ locals }) => {
		const { teamId, userId } = memberTeam(locals);
		await calendar.revoke(db, { userId, teamId });
		return { revoked: true };
	}
};
