import { error, fail } from '@sveltejs/kit';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import {
	PULSE_QUESTIONS,
	PULSE_WORD_MAX,
	pulseAnswerSchema,
	type PulseAnswerForm
} from '$lib/domain/pulse';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import * as pulse from '$lib/server/health/pulse';
import type { Actions, PageServerLoad } from './$types';
import { mondayOf } from '$lib/domain/week';

type PulseErrors = FieldErrors<Extract<keyof PulseAnswerForm, string>>;
const NO_ERRORS: PulseErrors = {};
const NO_VALUES: Record<string, string> = {};

/** This week's form (or "already answered") and the last closed weeks' team figures and words. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const week = pulse.currentWeek();
	const [answered, past] = await Promise.all([
		pulse.hasAnswered(db, { teamId, userId, week }),
		pulse.recentWeeks(db, teamId, { count: 8, words: true })
	]);
	return {
		team: { id: teamId, name: teamName },
		week,
		monday: mondayOf(week)!,
		answered,
		past: past.map((w) => ({ ...w, monday: mondayOf(w.week)! }))
	};
};

export const actions: Actions = {
	default: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const parsed = parseForm(pulseAnswerSchema, form);
		if (!parsed.ok) {
			// What was chosen stays chosen, for a browser without JavaScript too.
			const values: Record<string, string> = { word: echo(form, 'word', PULSE_WORD_MAX) };
			for (const question of PULSE_QUESTIONS) values[question] = echo(form, question, 8);
			return fail(400, { errors: parsed.errors as PulseErrors, weekChanged: false, values });
		}
		const week = pulse.currentWeek();
		// The form names the week it was shown for: an answer sent after midnight on Sunday
		// must not land in the next week unseen.
		const shownFor = form.get('week');
		if (typeof shownFor === 'string' && shownFor !== week) {
			return fail(400, { errors: NO_ERRORS, weekChanged: true, values: NO_VALUES });
		}
		const outcome = await pulse.answer(db, { teamId, userId, week, ...parsed.data });
		if (outcome === 'not_member') error(404, m.error_not_found());
		if (outcome === 'not_this_week')
			return fail(400, { errors: NO_ERRORS, weekChanged: true, values: NO_VALUES });
		return { saved: outcome === 'saved', already: outcome === 'already_answered' };
	}
};
