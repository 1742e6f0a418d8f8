import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

/** The installed app's start: the member's own day, in their team (or a choice of teams). */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	const mine = (await teams.listForUser(db, user.id)).member;
	if (mine.length === 1) redirect(303, `/teams/${mine[0]!.id}/day`);
	return { teams: mine.map((t) => ({ id: t.id, name: t.name })) };
};
