import type { Minutes } from '$lib/domain/meeting';
import { todayIn } from '$lib/domain/time-zone';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as meetings from '$lib/server/governance/meetings';
import * as teamRules from '$lib/server/governance/rules';
import * as services from '$lib/server/services';
import type { PageServerLoad } from './$types';

/** The next meeting (planned so its agenda is open all week) and the minutes of past ones. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName } = memberTeam(locals);
	const [next, past, rules] = await Promise.all([
		meetings.next(db, teamId, todayIn()),
		meetings.past(db, teamId),
		teamRules.current(db, teamId)
	]);
	// Decisions due for review by its day are on the next meeting's agenda (once each).
	await meetings.bringReviews(db, services.collab(), { teamId, meetingId: next.id });
	return {
		team: { id: teamId, name: teamName },
		next: { id: next.id, heldOn: next.heldOn, status: next.status, start: rules.meeting.start },
		past: past.map((p) => {
			const minutes = p.minutes as Minutes | null;
			return {
				id: p.id,
				// The day it was held, as its minutes say (older minutes hold the planned day).
				heldOn: minutes?.heldOn ?? p.heldOn,
				decided: minutes?.decisions.filter((d) => d.stage === 'adopted').map((d) => d.title) ?? []
			};
		})
	};
};
