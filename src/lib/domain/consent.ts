/**
 * Decisions by consent, as a pure state machine: the server enforces it on every form action, and
 * the decision log and the governance document show its states. No I/O.
 *
 * A proposal goes through clarifying questions, reactions, then a consent round in which each
 * member answers consent, consent with a concern, or an objection with its reason. A standing
 * objection blocks: the proposer amends (a new version, whose round starts afresh; earlier versions
 * are kept) or the objector withdraws it. In a meeting, it is adopted when every member present has
 * answered and no objection stands. Between meetings, the round runs until a deadline: then it is
 * adopted if no objection stands and the quorum answered, otherwise it lapses. A deadline closes
 * the round even if nothing ran at that time: `evaluate` is called whenever the decision is read.
 * A closed decision is sealed; a change is a new decision that refers to it.
 */
import type { TeamChange } from './team-change';

export const AREAS = ['caseload', 'rota', 'team', 'roles', 'other'] as const;
export type Area = (typeof AREAS)[number];

export type Stage = 'questions' | 'reactions' | 'round' | 'adopted' | 'withdrawn' | 'lapsed';
export const CLOSED_STAGES: ReadonlySet<Stage> = new Set(['adopted', 'withdrawn', 'lapsed']);

/** Taking up a decision whose review date came: keep it as it is, amend it, or end it. */
export const REVIEW_OUTCOMES = ['keep', 'amend', 'end'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

export type AnswerKind = 'consent' | 'concern' | 'objection';

export interface Answer {
	memberId: string;
	kind: AnswerKind;
	/** Required for a concern and an objection. */
	reason: string;
	at: string;
	/** An objection its author withdrew (it no longer blocks, and stays on record). */
	withdrawnAt: string | null;
}

export interface Version {
	number: number;
	text: string;
	at: string;
	answers: Answer[];
}

export interface Decision {
	id: string;
	title: string;
	driver: string;
	area: Area;
	reviewDate: string;
	proposerId: string;
	/** The members who take part: those present in a meeting, or the whole team between meetings. */
	participants: string[];
	mode: 'meeting' | 'async';
	/** Async rounds: when the round closes (ISO), and how many answers it needs. */
	deadline: string | null;
	quorum: number;
	stage: Stage;
	questions: { id: string; by: string; text: string; answer: string | null; at: string }[];
	reactions: { by: string; text: string; at: string }[];
	versions: Version[];
	/** Decision this one changes, if any. */
	refersTo: string | null;
	/** A review of the decision it refers to, and what it does with it (older records: absent). */
	review?: { outcome: ReviewOutcome } | null;
	/** A change to the team itself, carried out by the server once adopted (older records: absent). */
	change?: TeamChange | null;
	closedAt: string | null;
}

export type Move =
	| { type: 'ask'; by: string; questionId: string; text: string }
	| { type: 'clarify'; by: string; questionId: string; text: string }
	| { type: 'to-reactions'; by: string }
	| { type: 'react'; by: string; text: string }
	| { type: 'open-round'; by: string }
	| { type: 'answer'; by: string; version: number; kind: AnswerKind; reason: string }
	| { type: 'withdraw-objection'; by: string; version: number }
	| { type: 'amend'; by: string; text: string }
	| { type: 'withdraw'; by: string };

export type Refusal =
	| 'sealed'
	| 'not-a-participant'
	| 'not-the-proposer'
	| 'wrong-stage'
	| 'not-current-version'
	| 'reason-required'
	| 'no-such-question'
	| 'no-objection-to-withdraw'
	| 'text-required';

export type Outcome = { ok: true; decision: Decision } | { ok: false; reason: Refusal };

const refuse = (reason: Refusal): Outcome => ({ ok: false, reason });

export function currentVersion(d: Decision): Version {
	return d.versions[d.versions.length - 1]!;
}

/** Objections that block the current version: made and not withdrawn. */
export function standingObjections(d: Decision): Answer[] {
	return currentVersion(d).answers.filter((a) => a.kind === 'objection' && a.withdrawnAt === null);
}

/** Participants who have not answered the current version yet. */
/** Participants who have not answered the current version's round. */
export function undecided(d: Decision): string[] {
	const answered = new Set(currentVersion(d).answers.map((a) => a.memberId));
	return d.participants.filter((p) => !answered.has(p));
}

export function newDecision(input: {
	id: string;
	title: string;
	driver: string;
	text: string;
	area: Area;
	reviewDate: string;
	proposerId: string;
	participants: string[];
	mode: 'meeting' | 'async';
	deadline?: string | null;
	quorum?: number;
	refersTo?: string | null;
	review?: { outcome: ReviewOutcome } | null;
	change?: TeamChange | null;
	now: Date;
}): Decision {
	return {
		id: input.id,
		title: input.title,
		driver: input.driver,
		area: input.area,
		reviewDate: input.reviewDate,
		proposerId: input.proposerId,
		participants: [
			...new Set(
				input.participants.includes(input.proposerId)
					? input.participants
					: [...input.participants, input.proposerId]
			)
		],
		mode: input.mode,
		deadline: input.mode === 'async' ? (input.deadline ?? null) : null,
		quorum: Math.max(1, input.quorum ?? Math.ceil(input.participants.length / 2)),
		stage: 'questions',
		questions: [],
		reactions: [],
		versions: [{ number: 1, text: input.text, at: input.now.toISOString(), answers: [] }],
		refersTo: input.refersTo ?? null,
		review: input.refersTo ? (input.review ?? null) : null,
		change: input.change ?? null,
		closedAt: null
	};
}

/**
 * Applies a move, or says why it is refused. Pure: returns a new decision. The deadline is
 * evaluated first, so no move lands in a round that has already closed.
 */
export function apply(decision: Decision, move: Move, now: Date): Outcome {
	const d = evaluate(decision, now);
	if (CLOSED_STAGES.has(d.stage)) return refuse('sealed');
	if (!d.participants.includes(move.by)) return refuse('not-a-participant');
	const at = now.toISOString();
	const isProposer = move.by === d.proposerId;
	switch (move.type) {
		case 'ask':
			if (d.stage !== 'questions') return refuse('wrong-stage');
			if (move.text.trim() === '') return refuse('text-required');
			return done(
				{
					...d,
					questions: [
						...d.questions,
						{ id: move.questionId, by: move.by, text: move.text.trim(), answer: null, at }
					]
				},
				now
			);
		case 'clarify': {
			if (!isProposer) return refuse('not-the-proposer');
			if (d.stage !== 'questions' && d.stage !== 'reactions') return refuse('wrong-stage');
			if (!d.questions.some((q) => q.id === move.questionId)) return refuse('no-such-question');
			if (move.text.trim() === '') return refuse('text-required');
			return done(
				{
					...d,
					questions: d.questions.map((q) =>
						q.id === move.questionId ? { ...q, answer: move.text.trim() } : q
					)
				},
				now
			);
		}
		case 'to-reactions':
			if (!isProposer) return refuse('not-the-proposer');
			if (d.stage !== 'questions') return refuse('wrong-stage');
			return done({ ...d, stage: 'reactions' }, now);
		case 'react':
			if (d.stage !== 'reactions') return refuse('wrong-stage');
			if (move.text.trim() === '') return refuse('text-required');
			return done(
				{
					...d,
					reactions: [
						...d.reactions.filter((r) => r.by !== move.by),
						{ by: move.by, text: move.text.trim(), at }
					]
				},
				now
			);
		case 'open-round':
			if (!isProposer) return refuse('not-the-proposer');
			if (d.stage !== 'questions' && d.stage !== 'reactions') return refuse('wrong-stage');
			return done({ ...d, stage: 'round' }, now);
		case 'answer': {
			if (d.stage !== 'round') return refuse('wrong-stage');
			if (move.version !== currentVersion(d).number) return refuse('not-current-version');
			const reason = move.reason.trim();
			if (move.kind !== 'consent' && reason === '') return refuse('reason-required');
			const version = currentVersion(d);
			const answer: Answer = { memberId: move.by, kind: move.kind, reason, at, withdrawnAt: null };
			const answers = [...version.answers.filter((a) => a.memberId !== move.by), answer];
			return done(withCurrent(d, { ...version, answers }), now);
		}
		case 'withdraw-objection': {
			if (d.stage !== 'round') return refuse('wrong-stage');
			if (move.version !== currentVersion(d).number) return refuse('not-current-version');
			const version = currentVersion(d);
			const mine = version.answers.find((a) => a.memberId === move.by);
			if (mine === undefined || mine.kind !== 'objection' || mine.withdrawnAt !== null)
				return refuse('no-objection-to-withdraw');
			const answers = version.answers.map((a) => (a === mine ? { ...a, withdrawnAt: at } : a));
			return done(withCurrent(d, { ...version, answers }), now);
		}
		case 'amend': {
			if (!isProposer) return refuse('not-the-proposer');
			if (d.stage === 'questions') return refuse('wrong-stage');
			if (move.text.trim() === '') return refuse('text-required');
			const next: Version = {
				number: currentVersion(d).number + 1,
				text: move.text.trim(),
				at,
				answers: []
			};
			// A new version gets a round of its own, from scratch.
			return done({ ...d, stage: 'round', versions: [...d.versions, next] }, now);
		}
		case 'withdraw':
			if (!isProposer) return refuse('not-the-proposer');
			return { ok: true, decision: { ...d, stage: 'withdrawn', closedAt: at } };
	}
}

function withCurrent(d: Decision, version: Version): Decision {
	return { ...d, versions: [...d.versions.slice(0, -1), version] };
}

/** After a move: a meeting round closes as soon as everyone present answered with no objection. */
function done(d: Decision, now: Date): Outcome {
	return { ok: true, decision: evaluate(d, now) };
}

/**
 * The decision as it stands at `now`: a meeting round whose participants all answered without a
 * standing objection is adopted; an async round past its deadline is adopted if no objection stands
 * and the quorum answered, and lapses otherwise. Call it whenever a decision is read.
 */
export function evaluate(d: Decision, now: Date): Decision {
	if (d.stage !== 'round') return d;
	const version = currentVersion(d);
	const noObjection = standingObjections(d).length === 0;
	if (d.mode === 'meeting') {
		if (noObjection && undecided(d).length === 0)
			return { ...d, stage: 'adopted', closedAt: now.toISOString() };
		return d;
	}
	if (d.deadline === null || now.getTime() < Date.parse(d.deadline)) {
		// Everyone answered and nobody objects: no need to wait for the deadline.
		if (noObjection && undecided(d).length === 0)
			return { ...d, stage: 'adopted', closedAt: now.toISOString() };
		return d;
	}
	const closedAt = d.deadline;
	const answered = new Set(version.answers.map((a) => a.memberId)).size;
	return noObjection && answered >= d.quorum
		? { ...d, stage: 'adopted', closedAt }
		: { ...d, stage: 'lapsed', closedAt };
}

/**
 * Whether a round must close at `now` whoever reads it: an async round whose deadline has passed.
 * The one rule behind every read path and the timer (src/lib/server/governance/deadlines.ts).
 */
export function roundDue(d: Decision, now: Date): boolean {
	return (
		d.stage === 'round' &&
		d.mode === 'async' &&
		d.deadline !== null &&
		now.getTime() >= Date.parse(d.deadline)
	);
}

/** Members to remind before an async round closes: undecided ones, within `withinMs` of the deadline. */
export function toRemind(d: Decision, now: Date, withinMs = 24 * 3_600_000): string[] {
	const current = evaluate(d, now);
	if (current.stage !== 'round' || current.deadline === null) return [];
	const left = Date.parse(current.deadline) - now.getTime();
	return left > 0 && left <= withinMs ? undecided(current) : [];
}
