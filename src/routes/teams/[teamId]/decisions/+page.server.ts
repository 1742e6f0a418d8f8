import { fail, redirect } from '@sveltejs/kit';
import { ADVICE_STAGES } from '$lib/domain/advice';
import { AREAS, type Area } from '$lib/domain/consent';
import { parseForm, proposalSchema } from '$lib/domain/forms';
import { wallClockToInstant } from '$lib/domain/time-zone';
import * as advice from '$lib/server/governance/advice';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as decisions from '$lib/server/governance/decisions';
import { readForm } from '$lib/server/http/form';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';
import * as services from '$lib/server/services';

const STAGES = ['questions', 'reactions', 'round', 'adopted', 'withdrawn', 'lapsed'];
// Stages of an advice process are told apart from consent's by a prefix in the filter.
const ADVICE_PREFIX = 'advice:';

/**
 * The decision log, searchable and filtered by area and status: decisions by consent and advice
 * processes together, latest first, each marked with its kind.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { teamId, teamName } = memberTeam(locals);
	const areaParam = url.searchParams.get('area');
	const stageParam = url.searchParams.get('stage');
	const area = AREAS.includes(areaParam as Area) ? (areaParam as Area) : null;
	const stage = stageParam !== null && STAGES.includes(stageParam) ? stageParam : null;
	const adviceStage = ADVICE_STAGES.find((s) => stageParam === `${ADVICE_PREFIX}${s}`) ?? null;
	const query = (url.searchParams.get('q') ?? '').slice(0, 100);
	// A stage of one kind leaves the other kind out.
	const [consent, advised] = await Promise.all([
		adviceStage === null ? decisions.list(db, { teamId, area, stage, query }) : [],
		stage === null ? advice.list(db, { teamId, area, stage: adviceStage, query }) : []
	]);
	const entries = [
		...consent.map((d) => ({ ...d, kind: 'consent' as const })),
		...advised.map((a) => ({ ...a, kind: 'advice' as const }))
	].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || x.id.localeCompare(y.id));
	return {
		team: { id: teamId, name: teamName },
		filters: {
			area,
			stage: adviceStage === null ? stage : `${ADVICE_PREFIX}${adviceStage}`,
			query
		},
		decisions: entries,
		members: (await teams.members(db, teamId)).map((p) => ({ id: p.userId, name: p.name }))
	};
};

export const actions: Actions = {
	propose: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const parsed = parseForm(proposalSchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const { deadline, ...rest } = parsed.data;
		// In a meeting, those present take part; between meetings, the whole team.
		const present = form.getAll('present').filter((v): v is string => typeof v === 'string');
		const d = await decisions.propose(db, services.decisionMirror(), {
			...rest,
			teamId,
			proposerId: userId,
			participants: rest.mode === 'meeting' && present.length > 0 ? present : undefined,
			deadline:
				deadline === null
					? null
					: wallClockToInstant(
							deadline.slice(0, 10),
							Number(deadline.slice(11, 13)) * 60 + Number(deadline.slice(14, 16))
						).toISOString()
		});
		redirect(303, `/teams/${teamId}/decisions/${d.id}`);
	}
};
