import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { weekContext } from '$lib/server/rota/rota';
import * as teamRules from '$lib/server/governance/rules';
import type { PageServerLoad } from './$types';
import { addDays, mondayOf, weekOf } from '$lib/domain/week';
import * as services from '$lib/server/services';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const monday = mondayOf(params.week);
	if (monday === null) error(404, m.error_not_found());
	const [context, rules] = await Promise.all([
		weekContext(db, services.collab(), { teamId, monday }),
		teamRules.current(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		week: params.week,
		monday,
		previousWeek: weekOf(addDays(monday, -7)),
		nextWeek: weekOf(addDays(monday, 7)),
		// The team's rules the rota applies (Nos règles).
		swapNotice: rules.swapNotice,
		maxCarersPerClient: rules.maxCarersPerClient,
		...context
	};
};
