import type { Minutes } from '$lib/domain/meeting';
import { todayIn } from '$lib/domain/time-zone';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as meetings from '$lib/server/governance/meetings';
import type { PageServerLoad } from './$types';

/** The next meeting (planned so its agenda is open all week) and the minutes of past ones. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName } = memberTeam(locals);
	const [next, past] = await Promise.all([
		meetings.next(db, teamId, todayIn()),
		meetings.past(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		next: { id: next.id, heldOn: next.heldOn, status: next.status },
		past: past.map((p) => {
			const minutes = p.minutes as Minutes | null;
			return {
				id: p.id,
				heldOn: p.heldOn,
				decided: minutes?.decisions.filter((d) => d.stage === 'adopted').map((d) => d.title) ?? []
			};
		})
	};
};
