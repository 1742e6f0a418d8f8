/**
 * Sociocratic role elections, as a pure state machine (enforced by the server on every form action).
 *
 * Each member nominates someone with a reason; in the change round, having heard the reasons,
 * people may change their nomination; the person who convened the election proposes a holder
 * (usually the most nominated); then a consent round like any decision: everyone present answers
 * consent, consent with a concern, or an objection with its reason. An objection sends the
 * election back to the proposal, where another holder is proposed. The candidate may decline.
 */
import type { AnswerKind } from './consent';

type ElectionStage = 'nominations' | 'changes' | 'consent' | 'elected' | 'cancelled';

interface Nomination {
	by: string;
	nominee: string;
	reason: string;
	/** True once changed in the change round. */
	changed: boolean;
}

export interface Election {
	id: string;
	roleId: string;
	convenerId: string;
	participants: string[];
	stage: ElectionStage;
	nominations: Nomination[];
	/** The proposed holder under consent, or the elected one. */
	proposed: string | null;
	answers: { memberId: string; kind: AnswerKind; reason: string }[];
	/** Earlier proposals that met an objection or were declined, kept for the minutes. */
	history: { proposed: string; outcome: 'objection' | 'declined'; reason: string }[];
}

export type ElectionMove =
	| { type: 'nominate'; by: string; nominee: string; reason: string }
	| { type: 'open-changes'; by: string }
	| { type: 'change'; by: string; nominee: string; reason: string }
	| { type: 'propose'; by: string; nominee: string }
	| { type: 'answer'; by: string; kind: AnswerKind; reason: string }
	| { type: 'decline'; by: string; reason: string }
	| { type: 'cancel'; by: string };

export type ElectionRefusal =
	| 'sealed'
	| 'not-a-participant'
	| 'not-the-convener'
	| 'wrong-stage'
	| 'reason-required'
	| 'not-a-member'
	| 'not-the-candidate';

export type ElectionOutcome =
	{ ok: true; election: Election } | { ok: false; reason: ElectionRefusal };

const refuse = (reason: ElectionRefusal): ElectionOutcome => ({ ok: false, reason });

export function newElection(input: {
	id: string;
	roleId: string;
	convenerId: string;
	participants: string[];
}): Election {
	const participants = [...new Set([...input.participants, input.convenerId])];
	return {
		id: input.id,
		roleId: input.roleId,
		convenerId: input.convenerId,
		participants,
		stage: 'nominations',
		nominations: [],
		proposed: null,
		answers: [],
		history: []
	};
}

/**
 * Who the election is waiting on: in the nomination round, participants who have not nominated;
 * in the consent round, those who have not answered. Nobody in the change round (changing is
 * optional) nor once it is sealed.
 */
export function waitingOn(e: Election): string[] {
	if (e.stage === 'nominations') {
		return e.participants.filter((p) => !e.nominations.some((n) => n.by === p));
	}
	if (e.stage === 'consent') {
		return e.participants.filter((p) => !e.answers.some((a) => a.memberId === p));
	}
	return [];
}

/** Nominations per person, most first (ties by id), for proposing a holder. */
export function tally(e: Election): { nominee: string; count: number }[] {
	const counts = new Map<string, number>();
	for (const n of e.nominations) counts.set(n.nominee, (counts.get(n.nominee) ?? 0) + 1);
	return [...counts.entries()]
		.map(([nominee, count]) => ({ nominee, count }))
		.sort((a, b) => b.count - a.count || a.nominee.localeCompare(b.nominee));
}

export function applyElection(e: Election, move: ElectionMove): ElectionOutcome {
	if (e.stage === 'elected' || e.stage === 'cancelled') return refuse('sealed');
	if (!e.participants.includes(move.by)) return refuse('not-a-participant');
	const convener = move.by === e.convenerId;
	switch (move.type) {
		case 'nominate':
		case 'change': {
			if (e.stage !== (move.type === 'nominate' ? 'nominations' : 'changes'))
				return refuse('wrong-stage');
			if (!e.participants.includes(move.nominee)) return refuse('not-a-member');
			if (move.reason.trim() === '') return refuse('reason-required');
			const nomination: Nomination = {
				by: move.by,
				nominee: move.nominee,
				reason: move.reason.trim(),
				changed: move.type === 'change'
			};
			return {
				ok: true,
				election: {
					...e,
					nominations: [...e.nominations.filter((n) => n.by !== move.by), nomination]
				}
			};
		}
		case 'open-changes':
			if (!convener) return refuse('not-the-convener');
			if (e.stage !== 'nominations') return refuse('wrong-stage');
			return { ok: true, election: { ...e, stage: 'changes' } };
		case 'propose':
			if (!convener) return refuse('not-the-convener');
			if (e.stage !== 'changes' && e.stage !== 'nominations') return refuse('wrong-stage');
			if (!e.participants.includes(move.nominee)) return refuse('not-a-member');
			return {
				ok: true,
				election: { ...e, stage: 'consent', proposed: move.nominee, answers: [] }
			};
		case 'answer': {
			if (e.stage !== 'consent' || e.proposed === null) return refuse('wrong-stage');
			if (move.kind !== 'consent' && move.reason.trim() === '') return refuse('reason-required');
			if (move.kind === 'objection') {
				// An objection sends the election back to the proposal, with the reason on record.
				const history = [
					...e.history,
					{ proposed: e.proposed, outcome: 'objection' as const, reason: move.reason.trim() }
				];
				return {
					ok: true,
					election: { ...e, stage: 'changes', proposed: null, answers: [], history }
				};
			}
			const answers = [
				...e.answers.filter((a) => a.memberId !== move.by),
				{ memberId: move.by, kind: move.kind, reason: move.reason.trim() }
			];
			const everyone = e.participants.every((p) => answers.some((a) => a.memberId === p));
			return { ok: true, election: { ...e, answers, stage: everyone ? 'elected' : 'consent' } };
		}
		case 'decline': {
			if (e.stage !== 'consent' || e.proposed === null) return refuse('wrong-stage');
			if (move.by !== e.proposed) return refuse('not-the-candidate');
			const history = [
				...e.history,
				{ proposed: e.proposed, outcome: 'declined' as const, reason: move.reason.trim() }
			];
			return {
				ok: true,
				election: { ...e, stage: 'changes', proposed: null, answers: [], history }
			};
		}
		case 'cancel':
			if (!convener) return refuse('not-the-convener');
			return { ok: true, election: { ...e, stage: 'cancelled' } };
	}
}
