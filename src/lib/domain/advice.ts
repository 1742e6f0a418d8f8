/**
 * The advice process (Reinventing Organizations), as a pure state machine: the server enforces it
 * on every form action, and the decision log and the governance document show its states. No I/O.
 *
 * One member, the decider, announces a decision they intend to take: the situation, the intended
 * decision, and who they ask for advice (those affected, those with expertise). Those asked, and
 * any other member, give advice: one each, which they may replace while asking is open. The
 * decider then records the decision and how the advice shaped it, or withdraws. Either way the
 * process is sealed and never changes again; a change is a new process.
 */
import { AREAS, type Area } from './consent';

export type AdviceStage = 'asking' | 'decided' | 'withdrawn';
export const ADVICE_STAGES: readonly AdviceStage[] = ['asking', 'decided', 'withdrawn'];
const SEALED_STAGES: ReadonlySet<AdviceStage> = new Set(['decided', 'withdrawn']);

/** One member's advice, as it stands (a replaced advice is kept in the event log only). */
interface GivenAdvice {
	by: string;
	text: string;
	at: string;
}

export interface Advice {
	id: string;
	title: string;
	/** What it is about: the situation that calls for a decision. */
	situation: string;
	/** The decision the decider intends to take, as announced. */
	intent: string;
	area: Area;
	reviewDate: string;
	deciderId: string;
	/**
	 * The team's members, who may give advice (the decider included, who may not advise
	 * themselves). The server refreshes it from the team before each move, so a newcomer can advise.
	 */
	members: string[];
	/** Those asked because the decision affects them, and those asked for their expertise. */
	affected: string[];
	experts: string[];
	stage: AdviceStage;
	advice: GivenAdvice[];
	/** Once decided: what was decided, and how the advice shaped it. */
	decision: { text: string; howShaped: string; at: string } | null;
	announcedAt: string;
	closedAt: string | null;
}

export type AdviceMove =
	| { type: 'advise'; by: string; text: string }
	| { type: 'decide'; by: string; text: string; howShaped: string }
	| { type: 'withdraw'; by: string };

/** Texts a process or a move must carry. */
type AdviceTextField = 'title' | 'situation' | 'intent' | 'advice' | 'decision' | 'howShaped';

/** Why a move (or an announcement) is refused, with what the page needs to say so. */
export type AdviceRefusal =
	| { kind: 'sealed'; stage: AdviceStage }
	| { kind: 'not-a-member'; memberId: string }
	| { kind: 'not-the-decider' }
	| { kind: 'own-process' }
	| { kind: 'text-required'; field: AdviceTextField }
	| { kind: 'nobody-asked' }
	| { kind: 'invalid-area' };

export type AdviceOutcome = { ok: true; advice: Advice } | { ok: false; refusal: AdviceRefusal };

const refuse = (refusal: AdviceRefusal): { ok: false; refusal: AdviceRefusal } => ({
	ok: false,
	refusal
});

/** Everyone asked, each once: those affected first, then those with expertise. */
export function asked(a: Advice): string[] {
	return [...new Set([...a.affected, ...a.experts])];
}

/** Those asked who have given their advice. */
export function answered(a: Advice): string[] {
	const given = new Set(a.advice.map((x) => x.by));
	return asked(a).filter((id) => given.has(id));
}

/** Those asked who have not answered yet. */
export function waitingFor(a: Advice): string[] {
	const given = new Set(a.advice.map((x) => x.by));
	return asked(a).filter((id) => !given.has(id));
}

/**
 * A new process, or why it cannot be announced. Those asked are kept only if they are members,
 * each once, and never the decider themselves; at least one person must be asked.
 */
export function newAdvice(input: {
	id: string;
	title: string;
	situation: string;
	intent: string;
	area: Area;
	reviewDate: string;
	deciderId: string;
	members: string[];
	affected: string[];
	experts: string[];
	now: Date;
}): AdviceOutcome {
	const members = [...new Set(input.members)];
	if (!members.includes(input.deciderId))
		return refuse({ kind: 'not-a-member', memberId: input.deciderId });
	if (!(AREAS as readonly string[]).includes(input.area)) return refuse({ kind: 'invalid-area' });
	for (const field of ['title', 'situation', 'intent'] as const)
		if (input[field].trim() === '') return refuse({ kind: 'text-required', field });
	const pick = (ids: string[]) =>
		[...new Set(ids)].filter((id) => id !== input.deciderId && members.includes(id));
	const affected = pick(input.affected);
	const experts = pick(input.experts);
	if (affected.length === 0 && experts.length === 0) return refuse({ kind: 'nobody-asked' });
	return {
		ok: true,
		advice: {
			id: input.id,
			title: input.title.trim(),
			situation: input.situation.trim(),
			intent: input.intent.trim(),
			area: input.area,
			reviewDate: input.reviewDate,
			deciderId: input.deciderId,
			members,
			affected,
			experts,
			stage: 'asking',
			advice: [],
			decision: null,
			announcedAt: input.now.toISOString(),
			closedAt: null
		}
	};
}

/** Applies a move, or says why it is refused. Pure: returns a new process. */
export function apply(a: Advice, move: AdviceMove, now: Date): AdviceOutcome {
	if (SEALED_STAGES.has(a.stage)) return refuse({ kind: 'sealed', stage: a.stage });
	if (!a.members.includes(move.by)) return refuse({ kind: 'not-a-member', memberId: move.by });
	const at = now.toISOString();
	const isDecider = move.by === a.deciderId;
	switch (move.type) {
		case 'advise': {
			if (isDecider) return refuse({ kind: 'own-process' });
			const text = move.text.trim();
			if (text === '') return refuse({ kind: 'text-required', field: 'advice' });
			// One advice per person: a new one replaces theirs, in its place in the order given.
			const mine = a.advice.findIndex((x) => x.by === move.by);
			const given: GivenAdvice = { by: move.by, text, at };
			const advice =
				mine === -1 ? [...a.advice, given] : a.advice.map((x, i) => (i === mine ? given : x));
			return { ok: true, advice: { ...a, advice } };
		}
		case 'decide': {
			if (!isDecider) return refuse({ kind: 'not-the-decider' });
			const text = move.text.trim();
			const howShaped = move.howShaped.trim();
			if (text === '') return refuse({ kind: 'text-required', field: 'decision' });
			if (howShaped === '') return refuse({ kind: 'text-required', field: 'howShaped' });
			return {
				ok: true,
				advice: { ...a, stage: 'decided', decision: { text, howShaped, at }, closedAt: at }
			};
		}
		case 'withdraw':
			if (!isDecider) return refuse({ kind: 'not-the-decider' });
			return { ok: true, advice: { ...a, stage: 'withdrawn', closedAt: at } };
	}
}
