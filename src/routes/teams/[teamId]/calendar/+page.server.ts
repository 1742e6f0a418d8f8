import { memberTeam } from '$lib/server/auth/guard';
import * as calendar from '$lib/server/rota/calendar-feed';
import { db } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	return {
		team: { id: teamId, name: teamName },
		activeSince: await calendar.activeSince(db, userId, teamId)
	};
};

export const actions: Actions = {
	/** A new private link; the previous one stops working. Shown once: only its hash is kept. */
	create: async ({ locals, url }) => {
		const { teamId, userId } = memberTeam(locals);
		const token = await calendar.createFeed(db, { userId, teamId });
		return { feedUrl: `${url.origin}/feed/${token}.ics` };
	},
	revoke: async ({ locals }) => {
		const { teamId, userId } = memberTeam(locals);
		await calendar.revoke(db, { userId, teamId });
		return { revoked: true };
	}
};
