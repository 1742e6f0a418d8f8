import { and, asc, count, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import { CLOSED_STAGES, evaluate, type Decision } from '$lib/domain/consent';
import {
	agendaOf,
	buildMinutes,
	isStep,
	nextMeetingDay,
	presentOf,
	reviewItemId,
	type MeetingStep,
	type Minutes
} from '$lib/domain/meeting';
import type { RoleTemplateKey } from '$lib/domain/roles';
import type { Db } from '$lib/server/db';
import {
	client,
	coachCall,
	decision,
	election,
	electionEvent,
	meeting,
	membership,
	role,
	rotaVisit
} from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import type { CollabServer } from '$lib/server/collab/server';
import * as decisions from './decisions';
import * as roles from './roles';
import * as rules from './rules';
import { addDays, weekOf } from '$lib/domain/week';
import { todayIn } from '$lib/domain/time-zone';

/**
 * Weekly meetings. The agenda, the check-in and check-out rounds, the running step and the live
 * notes are in the meeting's live document (`team/<teamId>/meeting/<id>`), which members write;
 * when the meeting opens and closes, and its minutes, are the server's, kept in `meeting`.
 * Proposals made in the meeting are ordinary decisions that belong to it.
 */
export type Meeting = typeof meeting.$inferSelect;

export const docName = (teamId: string, meetingId: string) => `team/${teamId}/meeting/${meetingId}`;

/** Who holds the facilitator and note-taker roles today: the meeting's defaults. */
async function roleHolders(db: Db, teamId: string, today: string) {
	const { roles: list } = await roles.overview(db, teamId, today);
	const holder = (key: RoleTemplateKey) =>
		list.find((r) => r.templateKey === key)?.holders[0]?.memberId ?? null;
	return { facilitatorId: holder('facilitator'), noteTakerId: holder('note-taker') };
}

/**
 * The team's next meeting (open, or planned), planned on the meeting day if there is none yet, so
 * its agenda is open to items all week.
 */
export async function next(db: Db, teamId: string, today: string): Promise<Meeting> {
	const [current] = await db
		.select()
		.from(meeting)
		.where(and(eq(meeting.teamId, teamId), inArray(meeting.status, ['planned', 'open'])))
		.orderBy(asc(meeting.heldOn))
		.limit(1);
	if (current !== undefined) return current;
	// Buurtzorg teams meet once a week, on the day the team set (Nos règles).
	const { meeting: when } = await rules.current(db, teamId);
	return plan(db, teamId, nextMeetingDay(today, when.weekday), today);
}

export async function plan(
	db: Db,
	teamId: string,
	heldOn: string,
	today: string
): Promise<Meeting> {
	const holders = await roleHolders(db, teamId, today);
	const [row] = await db
		.insert(meeting)
		.values({ id: newId(), teamId, heldOn, status: 'planned', ...holders })
		.returning();
	return row!;
}

export async function get(db: Db, teamId: string, meetingId: string): Promise<Meeting | null> {
	const [row] = await db
		.select()
		.from(meeting)
		.where(and(eq(meeting.id, meetingId), eq(meeting.teamId, teamId)));
	return row ?? null;
}

/** Past meetings, latest first, with their minutes. */
export async function past(db: Db, teamId: string) {
	return db
		.select({ id: meeting.id, heldOn: meeting.heldOn, minutes: meeting.minutes })
		.from(meeting)
		.where(and(eq(meeting.teamId, teamId), eq(meeting.status, 'closed')))
		.orderBy(desc(meeting.heldOn));
}

export type MeetingMirror = (
	teamId: string,
	m: Pick<Meeting, 'id' | 'status' | 'heldOn'>
) => Promise<void>;

/** The meeting starts: anyone present may start it (there is no chair, only a facilitator). */
export async function start(
	db: Db,
	mirror: MeetingMirror,
	input: { teamId: string; meetingId: string; now?: Date }
): Promise<Meeting | null> {
	const [row] = await db
		.update(meeting)
		.set({ status: 'open', startedAt: input.now ?? new Date() })
		.where(
			and(
				eq(meeting.id, input.meetingId),
				eq(meeting.teamId, input.teamId),
				eq(meeting.status, 'planned')
			)
		)
		.returning();
	if (row !== undefined) await mirror(input.teamId, row);
	return row ?? null;
}

/** Facilitator and note taker: the role holders by default, changed by the team on the day. */
export async function setRoles(
	db: Db,
	input: {
		teamId: string;
		meetingId: string;
		facilitatorId: string | null;
		noteTakerId: string | null;
	}
): Promise<boolean> {
	const ids = [input.facilitatorId, input.noteTakerId].filter((v): v is string => v !== null);
	if (ids.length > 0) {
		const found = await db
			.select({ id: membership.userId })
			.from(membership)
			.where(and(eq(membership.teamId, input.teamId), inArray(membership.userId, ids)));
		if (new Set(found.map((f) => f.id)).size !== new Set(ids).size) return false;
	}
	const changed = await db
		.update(meeting)
		.set({ facilitatorId: input.facilitatorId, noteTakerId: input.noteTakerId })
		.where(
			and(
				eq(meeting.id, input.meetingId),
				eq(meeting.teamId, input.teamId),
				inArray(meeting.status, ['planned', 'open'])
			)
		)
		.returning({ id: meeting.id });
	return changed.length > 0;
}

async function memberIdsOf(db: Db, teamId: string): Promise<string[]> {
	const rows = await db
		.select({ id: membership.userId })
		.from(membership)
		.where(eq(membership.teamId, teamId));
	return rows.map((r) => r.id);
}

/** What the live document says: the step, the agenda, who checked in and out, the notes. */
export async function liveState(
	collab: Pick<CollabServer, 'read'>,
	teamId: string,
	meetingId: string,
	memberIds: string[]
) {
	return collab.read(docName(teamId, meetingId), (doc) => {
		const step = doc.getMap('state').get('step');
		return {
			step: (isStep(step) ? step : 'check-in') as MeetingStep,
			agenda: agendaOf(doc.getMap('agenda').entries()),
			present: presentOf(doc.getMap('checkIn').entries(), memberIds),
			notes: doc.getText('notes').toString()
		};
	});
}

/** The decisions proposed in this meeting, as they stand now. */
export async function decisionsOf(
	db: Db,
	teamId: string,
	meetingId: string,
	now = new Date()
): Promise<Decision[]> {
	const rows = await db
		.select({ state: decision.state })
		.from(decision)
		.where(and(eq(decision.teamId, teamId), eq(decision.meetingId, meetingId)))
		.orderBy(asc(decision.createdAt));
	return rows.map((r) => evaluate(r.state, now));
}

/** A proposal made in the meeting: those present take part in its consent round. */
export async function propose(
	db: Db,
	mirror: decisions.Mirror,
	collab: Pick<CollabServer, 'read' | 'change'>,
	input: Omit<Parameters<typeof decisions.propose>[2], 'mode' | 'participants' | 'meetingId'> & {
		meetingId: string;
		agendaItemId: string | null;
	}
): Promise<Decision | null> {
	const m = await get(db, input.teamId, input.meetingId);
	if (m === null || m.status !== 'open') return null;
	const members = await memberIdsOf(db, input.teamId);
	const { present } = await liveState(collab, input.teamId, input.meetingId, members);
	const d = await decisions.propose(db, mirror, {
		...input,
		mode: 'meeting',
		participants: present.length > 0 ? present : undefined,
		meetingId: input.meetingId
	});
	if (input.agendaItemId !== null) {
		const itemId = input.agendaItemId;
		await collab.change(docName(input.teamId, input.meetingId), (doc) => {
			const item = doc.getMap('agenda').get(itemId);
			if (typeof item === 'object' && item !== null)
				doc.getMap('agenda').set(itemId, { ...(item as object), decisionId: d.id });
		});
	}
	return d;
}

/**
 * Decisions due for review by the meeting's day become items of its agenda, once each (the item's
 * id is the decision's, so calling this again adds nothing, and an item someone removed by hand
 * stays removed only until the next call: the review is still due). Returns how many were added.
 */
export async function bringReviews(
	db: Db,
	collab: Pick<CollabServer, 'read' | 'change'>,
	input: { teamId: string; meetingId: string; now?: Date }
): Promise<number> {
	const m = await get(db, input.teamId, input.meetingId);
	if (m === null || m.status === 'closed') return 0;
	const due = (await decisions.dueReviews(db, input.teamId, m.heldOn)).filter(
		(d) => d.review === null
	);
	if (due.length === 0) return 0;
	const name = docName(input.teamId, input.meetingId);
	const missing = await collab.read(name, (doc) =>
		due.filter((d) => !doc.getMap('agenda').has(reviewItemId(d.id)))
	);
	if (missing.length === 0) return 0;
	const at = (input.now ?? new Date()).toISOString();
	await collab.change(name, (doc) => {
		if (doc.getMap('meta').get('schemaVersion') === undefined)
			doc.getMap('meta').set('schemaVersion', 1);
		const agenda = doc.getMap('agenda');
		for (const d of missing)
			if (!agenda.has(reviewItemId(d.id)))
				agenda.set(reviewItemId(d.id), {
					title: d.title,
					purpose: '',
					kind: 'proposal',
					by: '',
					at,
					done: false,
					decisionId: null,
					reviewOf: d.id
				});
	});
	return missing.length;
}

/**
 * A review was proposed: the agenda item that brought it (in the meeting still to come) points to
 * the new decision and is done.
 */
export async function markReviewTaken(
	db: Db,
	collab: Pick<CollabServer, 'change'>,
	input: { teamId: string; reviewOf: string; decisionId: string }
): Promise<void> {
	const upcoming = await db
		.select({ id: meeting.id })
		.from(meeting)
		.where(and(eq(meeting.teamId, input.teamId), inArray(meeting.status, ['planned', 'open'])));
	const itemId = reviewItemId(input.reviewOf);
	for (const m of upcoming)
		await collab.change(docName(input.teamId, m.id), (doc) => {
			const item = doc.getMap('agenda').get(itemId);
			if (typeof item === 'object' && item !== null)
				doc
					.getMap('agenda')
					.set(itemId, { ...(item as object), done: true, decisionId: input.decisionId });
		});
}

/** A stuck team calls its coach, with a short note of what it is stuck on. */
export async function callCoach(
	db: Db,
	input: { teamId: string; meetingId: string | null; by: string; note: string; now?: Date }
): Promise<void> {
	await db.insert(coachCall).values({
		id: newId(),
		teamId: input.teamId,
		meetingId: input.meetingId,
		calledBy: input.by,
		note: input.note,
		at: input.now ?? new Date()
	});
}

/** Elections that ended with someone elected while the meeting ran. */
async function electionsDuring(db: Db, teamId: string, from: Date, to: Date) {
	const rows = await db
		.selectDistinct({ roleName: role.name, templateKey: role.templateKey, state: election.state })
		.from(electionEvent)
		.innerJoin(election, eq(election.id, electionEvent.electionId))
		.innerJoin(role, eq(role.id, election.roleId))
		.where(
			and(
				eq(election.teamId, teamId),
				eq(election.stage, 'elected'),
				gte(electionEvent.at, from),
				lte(electionEvent.at, to)
			)
		);
	return rows.map((r) => ({
		roleName: r.roleName,
		templateKey: r.templateKey,
		electedId: r.state.proposed
	}));
}

export type CloseResult =
	{ ok: true; minutes: Minutes; next: Meeting } | { ok: false; reason: 'not-open' };

/**
 * Closes the meeting: the minutes are written from the decision records (what was decided, with
 * who consented), kept as they are, and the next meeting is planned a week later.
 */
export async function close(
	db: Db,
	mirror: MeetingMirror,
	collab: Pick<CollabServer, 'read'>,
	input: { teamId: string; meetingId: string; today: string; now?: Date }
): Promise<CloseResult> {
	const now = input.now ?? new Date();
	const m = await get(db, input.teamId, input.meetingId);
	if (m === null || m.status !== 'open') return { ok: false, reason: 'not-open' };
	const members = await memberIdsOf(db, input.teamId);
	const [live, taken, elected, calls] = await Promise.all([
		liveState(collab, input.teamId, input.meetingId, members),
		decisionsOf(db, input.teamId, input.meetingId, now),
		electionsDuring(db, input.teamId, m.startedAt ?? now, now),
		db
			.select({ note: coachCall.note })
			.from(coachCall)
			.where(eq(coachCall.meetingId, input.meetingId))
			.orderBy(asc(coachCall.at))
	]);
	// Held the day it started (in the team's time zone), whatever day it was planned for.
	const minutes = buildMinutes({
		heldOn: m.startedAt === null ? input.today : todayIn(undefined, m.startedAt),
		plannedOn: m.heldOn,
		facilitatorId: m.facilitatorId,
		noteTakerId: m.noteTakerId,
		present: live.present,
		agenda: live.agenda,
		decisions: taken,
		elections: elected,
		coachCalls: calls.map((c) => c.note),
		notes: live.notes
	});
	const [closed] = await db
		.update(meeting)
		.set({
			status: 'closed',
			closedAt: now,
			minutes: minutes as unknown as Record<string, unknown>
		})
		.where(and(eq(meeting.id, input.meetingId), eq(meeting.status, 'open')))
		.returning();
	if (closed === undefined) return { ok: false, reason: 'not-open' };
	await mirror(input.teamId, closed);
	const upcoming = await next(
		db,
		input.teamId,
		addDays(m.heldOn > input.today ? m.heldOn : input.today, 1)
	);
	return { ok: true, minutes, next: upcoming };
}

/** A glance at the team's figures for the meeting (the health page has the whole picture). */
export async function glance(db: Db, teamId: string, today: string) {
	const thisWeek = weekOf(today);
	const nextWeek = weekOf(addDays(today, 7));
	const visits = (week: string) =>
		db
			.select({
				all: count(),
				unassigned: sql<number>`count(*) filter (where ${rotaVisit.carerId} is null)`.mapWith(
					Number
				)
			})
			.from(rotaVisit)
			.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.week, week)));
	const [[active], [now], [coming], open, reviews, overview] = await Promise.all([
		db
			.select({ n: count() })
			.from(client)
			.where(and(eq(client.teamId, teamId), eq(client.status, 'active'))),
		visits(thisWeek),
		visits(nextWeek),
		db
			.select({ stage: decision.stage })
			.from(decision)
			.where(and(eq(decision.teamId, teamId), isNull(decision.closedAt))),
		decisions.dueReviews(db, teamId, today),
		roles.overview(db, teamId, today)
	]);
	return {
		thisWeek,
		nextWeek,
		activeClients: active?.n ?? 0,
		visitsThisWeek: now?.all ?? 0,
		unassignedThisWeek: now?.unassigned ?? 0,
		visitsNextWeek: coming?.all ?? 0,
		unassignedNextWeek: coming?.unassigned ?? 0,
		openDecisions: open.filter((d) => !CLOSED_STAGES.has(d.stage as Decision['stage'])).length,
		reviewsDue: reviews.length,
		roleSignals: overview.signals.length,
		openElections: overview.roles
			.filter((r) => r.openElection !== null)
			.map((r) => ({
				roleName: r.name,
				templateKey: r.templateKey,
				electionId: r.openElection!
			}))
	};
}

/** Clients whose status changed since a day (new, paused, discharged), for the caseload step. */
export async function caseloadChanges(db: Db, teamId: string, since: string) {
	return db
		.select({ id: client.id, name: client.name, status: client.status, since: client.statusSince })
		.from(client)
		.where(and(eq(client.teamId, teamId), gte(client.statusSince, since)))
		.orderBy(desc(client.statusSince));
}

/** Calls not yet answered, for the coach's dashboard: only teams the coach may see. */
export async function openCalls(db: Db, teamIds: string[]) {
	if (teamIds.length === 0) return [];
	return db
		.select({ id: coachCall.id, teamId: coachCall.teamId, note: coachCall.note, at: coachCall.at })
		.from(coachCall)
		.where(and(inArray(coachCall.teamId, teamIds), isNull(coachCall.answeredAt)))
		.orderBy(desc(coachCall.at));
}

/** The coach marks a call as answered (after calling the team back). */
export async function answerCall(
	db: Db,
	input: { callId: string; teamIds: string[]; now?: Date }
): Promise<boolean> {
	if (input.teamIds.length === 0) return false;
	const done = await db
		.update(coachCall)
		.set({ answeredAt: input.now ?? new Date() })
		.where(and(eq(coachCall.id, input.callId), inArray(coachCall.teamId, input.teamIds)))
		.returning({ id: coachCall.id });
	return done.length > 0;
}
