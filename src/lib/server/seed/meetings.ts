import { and, eq, gte, isNotNull, lt } from 'drizzle-orm';
import { buildMinutes } from '$lib/domain/meeting';
import { todayIn, wallClockToInstant } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { decision, meeting } from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import type { CollabServer } from '$lib/server/collab/server';
import { docName, next } from '$lib/server/governance/meetings';
import * as rules from '$lib/server/governance/rules';
import { addDays, DAY_MS, weekdayOf } from '$lib/domain/week';

/** How many past weekly meetings the demo teams have held. */
const PAST_MEETINGS = 11;

/**
 * Demo meetings: the last weeks' meetings, closed, each holding the demo decisions proposed in the
 * week before it, with minutes written from them; and the next meeting planned, with two items
 * already on its agenda.
 */
export async function writeDemoMeetings(
	db: Db,
	collab: Pick<CollabServer, 'change'>,
	team: { id: string; memberIds: string[] },
	now = new Date()
): Promise<void> {
	const today = todayIn(undefined, now);
	const weekday = weekdayOf(today);
	// The demo teams meet on the day their decision set (seed/decisions.ts).
	const { meeting: when } = await rules.current(db, team.id);
	let lastHeld = addDays(today, -((weekday - when.weekday + 7) % 7 || 7));
	const held: string[] = [];
	for (let i = 0; i < PAST_MEETINGS; i++) held.unshift(addDays(lastHeld, -7 * i));
	for (const heldOn of held) {
		const from = wallClockToInstant(addDays(heldOn, -7), when.start);
		const to = wallClockToInstant(heldOn, when.start);
		const id = newId();
		const [facilitatorId, noteTakerId] = [team.memberIds[1] ?? null, team.memberIds[2] ?? null];
		await db.insert(meeting).values({
			id,
			teamId: team.id,
			heldOn,
			status: 'open',
			facilitatorId,
			noteTakerId,
			// Held on its day, at the team's meeting time; the decisions it holds are the week's before.
			startedAt: to
		});
		const taken = await db
			.update(decision)
			.set({ meetingId: id })
			.where(
				and(
					eq(decision.teamId, team.id),
					gte(decision.createdAt, from),
					lt(decision.createdAt, to),
					isNotNull(decision.closedAt)
				)
			)
			.returning({ state: decision.state });
		const present = team.memberIds.filter(
			(_, i) => i !== held.indexOf(heldOn) % team.memberIds.length
		);
		const minutes = buildMinutes({
			heldOn,
			facilitatorId,
			noteTakerId,
			present,
			agenda: taken.map((t, i) => ({
				id: String(i),
				title: t.state.title,
				purpose: t.state.driver,
				kind: 'proposal' as const,
				by: t.state.proposerId,
				at: from.toISOString(),
				done: true,
				decisionId: t.state.id,
				reviewOf: null
			})),
			decisions: taken.map((t) => t.state),
			elections: [],
			coachCalls: [],
			notes: ''
		});
		await db
			.update(meeting)
			.set({
				status: 'closed',
				closedAt: to,
				minutes: minutes as unknown as Record<string, unknown>
			})
			.where(eq(meeting.id, id));
	}
	lastHeld = held.at(-1)!;
	const upcoming = await next(db, team.id, addDays(lastHeld, 1));
	await collab.change(docName(team.id, upcoming.id), (doc) => {
		doc.getMap('meta').set('schemaVersion', 1);
		const agenda = doc.getMap('agenda');
		agenda.set('2f0e5c1a-3b4d-4e6f-8a9b-0c1d2e3f4a5b', {
			title: 'Matériel de transfert au bureau',
			purpose: 'Ne plus chercher le lève-personne le matin',
			kind: 'proposal',
			by: team.memberIds[0],
			at: new Date(now.getTime() - 2 * DAY_MS).toISOString(),
			done: false,
			decisionId: null
		});
		agenda.set('7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d', {
			title: 'Retour sur la formation plaies et cicatrisation',
			purpose: 'Partager ce qui a été appris',
			kind: 'information',
			by: team.memberIds[3] ?? team.memberIds[0],
			at: new Date(now.getTime() - DAY_MS).toISOString(),
			done: false,
			decisionId: null
		});
	});
}
