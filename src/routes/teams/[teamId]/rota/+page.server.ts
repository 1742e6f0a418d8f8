import { redirect } from '@sveltejs/kit';
import { todayIn } from '$lib/domain/time-zone';
import { weekOf } from '$lib/domain/week';
import { memberTeam } from '$lib/server/auth/guard';
import type { PageServerLoad } from './$types';

/** The rota opens on this week (Paris time). */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId } = memberTeam(locals);
	redirect(303, `/teams/${teamId}/rota/${weekOf(todayIn())}`);
};
