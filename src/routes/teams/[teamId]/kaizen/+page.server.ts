import { fail } from '@sveltejs/kit';
import { cardIdSchema, lessonSchema, teamDecisionSchema } from '$lib/domain/kaizen';
import { parseForm } from '$lib/domain/forms';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { whereToDecide } from '$lib/server/governance/decide-where';
import * as kaizen from '$lib/server/kaizen/kaizen';
import * as services from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

/**
 * The kaizen board: the cards are the live document `team/<teamId>/kaizen`, opened by the page;
 * the server adds what the document cannot say by itself: which cards the team's decisions
 * adopted, and where a decision asked for now would be taken.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const [adopted, where] = await Promise.all([
		kaizen.adoptions(db, teamId),
		whereToDecide(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		myName: locals.user?.name ?? '',
		adoptions: Object.fromEntries(adopted),
		inMeeting: where.meetingId !== null
	};
};

function cardIdOf(form: FormData): string | null {
	const parsed = cardIdSchema.safeParse(form.get('cardId'));
	return parsed.success ? parsed.data : null;
}

export const actions: Actions = {
	/** Ask the team to adopt a card's countermeasure as its way of working (a consent decision). */
	adopt: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const cardId = cardIdOf(form);
		if (cardId === null)
			return fail(400, { action: 'adopt' as const, refusal: 'no-card' as const });
		const parsed = parseForm(teamDecisionSchema, form);
		if (!parsed.ok) return fail(400, { action: 'adopt' as const, cardId, errors: parsed.errors });
		const out = await kaizen.proposeAdoption(db, services.decisionMirror(), services.collab(), {
			...parsed.data,
			teamId,
			userId,
			cardId,
			...(await whereToDecide(db, teamId))
		});
		if (!out.ok) return fail(400, { action: 'adopt' as const, cardId, refusal: out.reason });
		return { action: 'adopt' as const, cardId, decisionId: out.decision.id };
	},

	/** Share the card's lesson with the other teams and the team's coaches. */
	publish: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const cardId = cardIdOf(form);
		if (cardId === null)
			return fail(400, { action: 'publish' as const, refusal: 'no-card' as const });
		const parsed = parseForm(lessonSchema, form);
		if (!parsed.ok) return fail(400, { action: 'publish' as const, cardId, errors: parsed.errors });
		const out = await kaizen.publishLesson(db, services.collab(), {
			...parsed.data,
			teamId,
			userId,
			cardId
		});
		if (!out.ok)
			return fail(400, {
				action: 'publish' as const,
				cardId,
				refusal: out.reason,
				found: out.reason === 'client-data' ? out.found : []
			});
		return { action: 'publish' as const, cardId, lessonId: out.id };
	}
};
