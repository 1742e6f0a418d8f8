import { redirect } from '@sveltejs/kit';
import { addDays, weekdayOf } from '$lib/domain/rota';
import { todayIn } from '$lib/domain/time-zone';
import { memberTeam } from '$lib/server/auth/guard';
import { weekName } from '$lib/server/rota/rota';
import type { PageServerLoad } from './$types';

/** The rota opens on this week (Paris time). */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId } = memberTeam(locals);
	const today = todayIn();
	redirect(303, `/teams/${teamId}/rota/${weekName(addDays(today, 1 - weekdayOf(today)))}`);
};
