import type { Decision } from '$lib/domain/consent';
import { todayIn } from '$lib/domain/time-zone';
import { DAY_MS } from '$lib/domain/week';
import type { Db } from '$lib/server/db';
import type { CollabServer } from '$lib/server/collab/server';
import * as decisions from './decisions';
import * as meetings from './meetings';

/** How long a round asked for between meetings stays open. */
const ROUND_DAYS = 7;

/** Where a decision is taken: the open meeting, or a round between meetings until `deadline`. */
export interface Where {
	meetingId: string | null;
	deadline: string | null;
}

/**
 * Where a decision asked for from a feature page (kaizen board, standards library) is taken: in
 * the team's meeting while it is open (those present take part), otherwise between meetings, for
 * a week (the whole team).
 */
export async function whereToDecide(db: Db, teamId: string, now = new Date()): Promise<Where> {
	const next = await meetings.next(db, teamId, todayIn(undefined, now));
	if (next.status === 'open') return { meetingId: next.id, deadline: null };
	return { meetingId: null, deadline: new Date(now.getTime() + ROUND_DAYS * DAY_MS).toISOString() };
}

/**
 * Proposes a decision by consent where `whereToDecide` said: in the open meeting, or between
 * meetings. Null when the meeting has closed since (the caller says so to the member).
 */
export async function proposeWhere(
	db: Db,
	mirror: decisions.Mirror,
	collab: Pick<CollabServer, 'read' | 'change'>,
	proposal: Omit<
		Parameters<typeof decisions.propose>[2],
		'mode' | 'deadline' | 'participants' | 'meetingId'
	>,
	where: Where
): Promise<Decision | null> {
	if (where.meetingId !== null)
		return meetings.propose(db, mirror, collab, {
			...proposal,
			meetingId: where.meetingId,
			agendaItemId: null
		});
	return decisions.propose(db, mirror, { ...proposal, mode: 'async', deadline: where.deadline });
}
