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

/** A decision a member asks for from a feature page, and where `whereToDecide` said to take it. */
export interface FeatureProposal extends Where {
	teamId: string;
	userId: string;
	title: string;
	driver: string;
	text: string;
	reviewDate: string;
	now: Date;
}

/**
 * Proposes a decision by consent (area "other") where `whereToDecide` said: in the open meeting,
 * or between meetings. Null when the meeting has closed since (the caller says so to the member).
 */
export async function proposeWhere(
	db: Db,
	mirror: decisions.Mirror,
	collab: Pick<CollabServer, 'read' | 'change'>,
	asked: FeatureProposal
): Promise<Decision | null> {
	const proposal = {
		teamId: asked.teamId,
		proposerId: asked.userId,
		title: asked.title,
		driver: asked.driver,
		text: asked.text,
		area: 'other' as const,
		reviewDate: asked.reviewDate,
		now: asked.now
	};
	if (asked.meetingId !== null)
		return meetings.propose(db, mirror, collab, {
			...proposal,
			meetingId: asked.meetingId,
			agendaItemId: null
		});
	return decisions.propose(db, mirror, { ...proposal, mode: 'async', deadline: asked.deadline });
}
