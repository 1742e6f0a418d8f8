import { todayIn } from '$lib/domain/time-zone';
import { DAY_MS } from '$lib/domain/week';
import type { Db } from '$lib/server/db';
import * as meetings from '$lib/server/governance/meetings';

/** How long a round asked for between meetings stays open. */
const ROUND_DAYS = 7;

/**
 * Where a decision asked for from the kaizen board or the standards library is taken: in the
 * team's meeting while it is open (those present take part), otherwise between meetings, for a
 * week (the whole team).
 */
export async function whereToDecide(
	db: Db,
	teamId: string,
	now = new Date()
): Promise<{ meetingId: string | null; deadline: string | null }> {
	const next = await meetings.next(db, teamId, todayIn(undefined, now));
	if (next.status === 'open') return { meetingId: next.id, deadline: null };
	return { meetingId: null, deadline: new Date(now.getTime() + ROUND_DAYS * DAY_MS).toISOString() };
}
