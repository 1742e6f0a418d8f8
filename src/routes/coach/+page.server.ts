import { fail } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import { dashboard } from '$lib/server/health/health';
import { closeDueForCoach } from '$lib/server/governance/deadlines';
import * as meetings from '$lib/server/governance/meetings';
import * as kaizen from '$lib/server/kaizen/kaizen';
import type { Actions, PageServerLoad } from './$types';
import * as services from '$lib/server/services';

/** The coach's dashboard: only the teams where this user's coaching is active, figures only. */
export const load: PageServerLoad = async (event) => {
	const user = requireUser(event);
	await closeDueForCoach(db, services.decisionMirror(), { userId: user.id });
	const rows = await dashboard(db, user.id, { documents: services.collab() });
	const calls = await meetings.openCalls(
		db,
		rows.map((r) => r.teamId)
	);
	const lessons = await kaizen.lessonsForCoach(db, user.id);
	return {
		rows,
		calls: calls.map((c) => ({ ...c, at: c.at.toISOString() })),
		lessons: lessons.map((l) => ({ ...l, at: l.at.toISOString() }))
	};
};

export const actions: Actions = {
	/** The coach called the team back: the call leaves the dashboard. */
	answered: async (event) => {
		const user = requireUser(event);
		const callId = (await readForm(event.request)).get('callId');
		if (typeof callId !== 'string' || callId.length > 64) return fail(400, { refusal: 'invalid' });
		const teamIds = (await dashboard(db, user.id, { documents: services.collab() })).map(
			(r) => r.teamId
		);
		if (!(await meetings.answerCall(db, { callId, teamIds })))
			return fail(400, { refusal: 'invalid' });
		return { done: true };
	}
};
