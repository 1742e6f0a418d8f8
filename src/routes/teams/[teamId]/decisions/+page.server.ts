import { fail, redirect } from '@sveltejs/kit';
import { ADVICE_STAGES } from '$lib/domain/advice';
import { AREAS, REVIEW_OUTCOMES, type Area } from '$lib/domain/consent';
import { isId } from '$lib/domain/ids';
import { defaultDeadline } from '$lib/domain/team-rules';
import { localDateTimeToIso, todayIn } from '$lib/domain/time-zone';
import { m } from '$lib/paraglide/messages';
import * as meetings from '$lib/server/governance/meetings';
import * as teamRules from '$lib/server/governance/rules';
import { parseForm, proposalSchema } from '$lib/domain/forms';
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
	const takeUp = await takeUpOf(teamId, url);
	// A stage of one kind leaves the other kind out.
	const [consent, advised] = await Promise.all([
		adviceStage === null ? decisions.list(db, { teamId, area, stage, query }) : [],
		stage === null ? advice.list(db, { teamId, area, stage: adviceStage, query }) : []
	]);
	const entries = [
		...consent.map((d) => ({ ...d, kind: 'consent' as const })),
		...advised.map((a) => ({ ...a, kind: 'advice' as const }))
	].sort((x, y) => y.createdAt.getTime() - x.createdAt.getTime() || x.id.localeCompare(y.id));
	const rules = await teamRules.current(db, teamId);
	return {
		takeUp,
		deadline: defaultDeadline(rules, todayIn()),
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
		const { deadline, refersTo, review, ...rest } = parsed.data;
		// A review takes up an adopted decision of this team, and says what it does with it.
		if (refersTo !== null && (await decisions.reviewable(db, teamId, refersTo)) === null)
			return fail(400, { errors: { refersTo: 'invalid' as const } });
		// In a meeting, those present take part; between meetings, the whole team.
		const present = form.getAll('present').filter((v): v is string => typeof v === 'string');
		const d = await decisions.propose(db, services.decisionMirror(), {
			...rest,
			teamId,
			proposerId: userId,
			participants: rest.mode === 'meeting' && present.length > 0 ? present : undefined,
			refersTo,
			review: review === undefined ? null : { outcome: review },
			deadline: deadline === null ? null : localDateTimeToIso(deadline)
		});
		if (refersTo !== null)
			await meetings.markReviewTaken(db, services.collab(), {
				teamId,
				reviewOf: refersTo,
				decisionId: d.id
			});
		redirect(303, `/teams/${teamId}/decisions/${d.id}`);
	}
};

/**
 * `?takeUp=<id>&outcome=keep|amend|end`: the proposal form starts as a review of that decision,
 * with its title, area and (to keep or amend it) its text.
 */
async function takeUpOf(teamId: string, url: URL) {
	const id = url.searchParams.get('takeUp');
	const outcome = REVIEW_OUTCOMES.find((o) => o === url.searchParams.get('outcome'));
	if (id === null || !isId(id) || outcome === undefined) return null;
	const earlier = await decisions.reviewable(db, teamId, id);
	if (earlier === null) return null;
	const titles = {
		keep: m.review_title_keep,
		amend: m.review_title_amend,
		end: m.review_title_end
	};
	const title = titles[outcome]({ title: earlier.title }).slice(0, 120);
	return {
		title,
		driver: m.review_driver(),
		text: outcome === 'end' ? '' : earlier.text,
		area: earlier.area,
		refersTo: earlier.id,
		review: outcome
	};
}
