import { error } from '@sveltejs/kit';
import { addDays } from '$lib/domain/rota';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { collabServer } from '$lib/server/collab/instance';
import { db } from '$lib/server/db';
import { mondayOf, weekContext, weekName } from '$lib/server/rota/rota';
import * as teams from '$lib/server/teams/teams';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const monday = mondayOf(params.week);
	if (monday === null) error(404, m.error_not_found());
	const [context, swapNoticeMinutes] = await Promise.all([
		weekContext(db, collabServer(), { teamId, monday }),
		teams.swapNoticeMinutes(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		week: params.week,
		monday,
		previousWeek: weekName(addDays(monday, -7)),
		nextWeek: weekName(addDays(monday, 7)),
		swapNoticeMinutes,
		...context
	};
};
