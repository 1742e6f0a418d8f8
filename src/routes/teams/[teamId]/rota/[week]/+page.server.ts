import { error, fail } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { sickCallForm, takeForm } from '$lib/domain/rota-forms';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { callInSick, take } from '$lib/server/rota/replan';
import { weekContext } from '$lib/server/rota/rota';
import * as teamRules from '$lib/server/governance/rules';
import type { Actions, PageServerLoad } from './$types';
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

export const actions: Actions = {
	/** "Off sick from now": oneself, or a colleague who phoned in. */
	sick: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const parsed = sickCallForm.safeParse(Object.fromEntries(await readForm(request)));
		if (!parsed.success) return fail(400, { sick: { refusal: 'invalid' as const } });
		const result = await callInSick(db, services.collab(), {
			teamId,
			recordedBy: userId,
			...parsed.data
		});
		if (!result.ok) return fail(400, { sick: { refusal: result.reason } });
		return { sick: { covered: result.covered, memberId: parsed.data.memberId } };
	},
	/** Takes a visit offered or to cover: first come, first served. */
	take: async ({ locals, request, params }) => {
		const { teamId, userId } = memberTeam(locals);
		if (mondayOf(params.week) === null) error(404, m.error_not_found());
		const parsed = takeForm.safeParse(Object.fromEntries(await readForm(request)));
		if (!parsed.success) return fail(400, { take: { refusal: 'not-offered' as const } });
		const outcome = await take(db, services.collab(), {
			teamId,
			week: params.week,
			visitId: parsed.data.visitId,
			takerId: userId
		});
		if (!outcome.ok)
			return fail(409, {
				take: {
					visitId: parsed.data.visitId,
					refusal: outcome.reason,
					needs: outcome.needs ?? null,
					notice: outcome.notice ?? null
				}
			});
		return { take: { visitId: parsed.data.visitId, taken: true } };
	}
};
