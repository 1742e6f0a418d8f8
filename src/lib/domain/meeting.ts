/**
 * The weekly meeting, in the Solution-Driven Interaction way Buurtzorg teams are trained in: the
 * facilitator decides nothing and only asks "what is your proposal?" and "what is it for?"; the
 * agenda is built at the start from what members bring; proposals are decided by consent. Pure:
 * the steps, the agenda's shape as read from the live document, and the minutes.
 */
import { CLOSED_STAGES, currentVersion, type Decision } from './consent';
import { addDays, weekdayOf } from './week';

export const MEETING_STEPS = [
	'check-in',
	'agenda',
	'figures',
	'caseload',
	'rota',
	'kaizen',
	'proposals',
	'elections',
	'check-out'
] as const;
export type MeetingStep = (typeof MEETING_STEPS)[number];

export const isStep = (value: unknown): value is MeetingStep =>
	typeof value === 'string' && (MEETING_STEPS as readonly string[]).includes(value);

export type AgendaKind = 'proposal' | 'question' | 'information';
export const AGENDA_KINDS: readonly AgendaKind[] = ['proposal', 'question', 'information'];

export interface AgendaItem {
	id: string;
	title: string;
	/** "What is it for?": the purpose its author gives it. */
	purpose: string;
	kind: AgendaKind;
	by: string;
	at: string;
	done: boolean;
	/** The decision it became, once proposed. */
	decisionId: string | null;
	/** A decision due for review, brought by the server (its title is that decision's). */
	reviewOf: string | null;
}

/** The agenda item that brings a decision's review: one per decision, so bringing it is idempotent. */
export const reviewItemId = (decisionId: string) => `review-${decisionId}`;

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');

/** An agenda item as stored in the live document, or null when it does not fit the shape. */
export function parseAgendaItem(id: string, raw: unknown): AgendaItem | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const r = raw as Record<string, unknown>;
	const title = text(r.title, 200).trim();
	if (title === '') return null;
	return {
		id,
		title,
		purpose: text(r.purpose, 1000),
		kind: AGENDA_KINDS.includes(r.kind as AgendaKind) ? (r.kind as AgendaKind) : 'information',
		by: text(r.by, 64),
		at: text(r.at, 40),
		done: r.done === true,
		decisionId: typeof r.decisionId === 'string' ? r.decisionId : null,
		reviewOf: typeof r.reviewOf === 'string' ? r.reviewOf : null
	};
}

/** The agenda in the order items were brought. */
export function agendaOf(entries: Iterable<[string, unknown]>): AgendaItem[] {
	const items: AgendaItem[] = [];
	for (const [id, raw] of entries) {
		const item = parseAgendaItem(id, raw);
		if (item !== null) items.push(item);
	}
	return items.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id));
}

/** Who checked in: the members present, who take part in the meeting's consent rounds. */
export function presentOf(checkIn: Iterable<[string, unknown]>, memberIds: string[]): string[] {
	const present = new Set<string>();
	for (const [id, line] of checkIn)
		if (typeof line === 'string' && memberIds.includes(id)) present.add(id);
	return memberIds.filter((id) => present.has(id));
}

export interface MinuteDecision {
	id: string;
	title: string;
	stage: Decision['stage'];
	version: number;
	text: string;
	consented: string[];
	concerns: { by: string; reason: string }[];
	/** Objections to the final version, standing or withdrawn. */
	objections: { by: string; reason: string; withdrawn: boolean }[];
	/** Objections to earlier versions that the amendment took in. */
	integrated: { by: string; reason: string }[];
	reviewDate: string;
}

/** An agenda item in the minutes; `decisionId` and `reviewOf` are absent from older minutes. */
export interface MinuteAgendaItem {
	title: string;
	kind: AgendaKind;
	done: boolean;
	decisionId?: string | null;
	reviewOf?: string | null;
}

export interface Minutes {
	/** The day the meeting was held (it started), which may not be the day it was planned for. */
	heldOn: string;
	/** The day it was planned for, when not the day it was held (absent from older minutes). */
	plannedOn?: string;
	facilitatorId: string | null;
	noteTakerId: string | null;
	present: string[];
	agenda: MinuteAgendaItem[];
	decisions: MinuteDecision[];
	/** `templateKey` (absent from older minutes) lets a template role's name speak the reader's language. */
	elections: { roleName: string; templateKey?: string | null; electedId: string | null }[];
	coachCalls: string[];
	notes: string;
}

/** What a decision taken (or still open) in the meeting says in its minutes. */
export function minuteOf(d: Decision): MinuteDecision {
	const version = currentVersion(d);
	const earlier = d.versions.slice(0, -1);
	return {
		id: d.id,
		title: d.title,
		stage: d.stage,
		version: version.number,
		text: version.text,
		consented: version.answers.filter((a) => a.kind === 'consent').map((a) => a.memberId),
		concerns: version.answers
			.filter((a) => a.kind === 'concern')
			.map((a) => ({ by: a.memberId, reason: a.reason })),
		objections: version.answers
			.filter((a) => a.kind === 'objection')
			.map((a) => ({ by: a.memberId, reason: a.reason, withdrawn: a.withdrawnAt !== null })),
		integrated: earlier.flatMap((v) =>
			v.answers
				.filter((a) => a.kind === 'objection')
				.map((a) => ({ by: a.memberId, reason: a.reason }))
		),
		reviewDate: d.reviewDate
	};
}

/**
 * The minutes: the list of what was decided, with who consented, written when the meeting closes.
 * Decided ones come first; proposals still open are listed as such (they carry on afterwards).
 */
export function buildMinutes(input: {
	heldOn: string;
	plannedOn?: string;
	facilitatorId: string | null;
	noteTakerId: string | null;
	present: string[];
	agenda: AgendaItem[];
	decisions: Decision[];
	/** `templateKey` (absent from older minutes) lets a template role's name speak the reader's language. */
	elections: { roleName: string; templateKey?: string | null; electedId: string | null }[];
	coachCalls: string[];
	notes: string;
}): Minutes {
	const closed = (d: Decision) => (CLOSED_STAGES.has(d.stage) ? 0 : 1);
	return {
		heldOn: input.heldOn,
		...(input.plannedOn !== undefined && input.plannedOn !== input.heldOn
			? { plannedOn: input.plannedOn }
			: {}),
		facilitatorId: input.facilitatorId,
		noteTakerId: input.noteTakerId,
		present: input.present,
		agenda: input.agenda.map((a) => ({
			title: a.title,
			kind: a.kind,
			done: a.done,
			decisionId: a.decisionId,
			reviewOf: a.reviewOf
		})),
		decisions: [...input.decisions].sort((a, b) => closed(a) - closed(b)).map(minuteOf),
		elections: input.elections,
		coachCalls: input.coachCalls,
		notes: input.notes.slice(0, 20_000)
	};
}

/**
 * What became of an agenda item: the proposal it turned into (with that decision's minute, so its
 * stage says whether it was adopted), a review taken, an item dealt with, or one not reached.
 */
export type AgendaOutcome =
	| { kind: 'proposal'; decision: MinuteDecision }
	| { kind: 'reviewed' }
	| { kind: 'done' }
	| { kind: 'not-reached' };

export function agendaOutcome(item: MinuteAgendaItem, minutes: Minutes): AgendaOutcome {
	const decision = item.decisionId
		? minutes.decisions.find((d) => d.id === item.decisionId)
		: undefined;
	if (decision !== undefined) return { kind: 'proposal', decision };
	if (!item.done) return { kind: 'not-reached' };
	return item.reviewOf ? { kind: 'reviewed' } : { kind: 'done' };
}

/** The next meeting's day: the team's meeting weekday (1 = Monday … 7 = Sunday) on or after `from`. */
export function nextMeetingDay(from: string, weekday: number): string {
	return addDays(from, (weekday - weekdayOf(from) + 7) % 7);
}
