import { json } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { coachedTeams } from '$lib/server/health/health';
import type { RequestHandler } from './$types';

/**
 * Polled by the open coach dashboard: the teams this user coaches right now (active coaching
 * only), so a team that revokes access disappears from the open page at once.
 */
export const GET: RequestHandler = async (event) => {
	const user = requireUser(event);
	const teams = (await coachedTeams(db, user.id)).map((t) => t.id).sort();
	return json({ teams }, { headers: { 'cache-control': 'no-store' } });
};
