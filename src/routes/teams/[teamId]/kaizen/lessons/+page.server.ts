import { fail, redirect } from '@sveltejs/kit';
import { isId } from '$lib/domain/ids';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as kaizen from '$lib/server/kaizen/kaizen';
import * as services from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

/** Lessons the teams of the organisation shared; another team's may be copied as a card. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName } = memberTeam(locals);
	const lessons = await kaizen.lessonsForTeam(db, teamId);
	return {
		team: { id: teamId, name: teamName },
		lessons: lessons.map((l) => ({ ...l, at: l.at.toISOString() }))
	};
};

export const actions: Actions = {
	copy: async ({ locals, request }) => {
		const { teamId } = memberTeam(locals);
		const lessonId = (await readForm(request)).get('lessonId');
		if (typeof lessonId !== 'string' || !isId(lessonId))
			return fail(400, { refusal: 'no-lesson' as const });
		const out = await kaizen.copyLesson(db, services.collab(), { teamId, lessonId });
		if (!out.ok) return fail(400, { refusal: out.reason });
		redirect(303, `/teams/${teamId}/kaizen?card=${out.cardId}`);
	}
};
