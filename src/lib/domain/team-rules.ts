/**
 * The team's own rules, set by its decisions ("Nos règles"): when it meets, how many different
 * carers a client may see in a week, how late a visit may still be swapped, how long an async
 * round runs by default, how a newcomer joins, and from how many answers the pulse is shown.
 *
 * A rule changes only through an adopted decision carrying a `rule` change (team-change.ts); the
 * current value is the latest adopted one, or the default below while the team has decided
 * nothing. Pure: the server reads the decisions, this module says what they set.
 */
import { z } from 'zod';
import { PULSE_MIN_ANSWERS } from './pulse';
import { wallClockToInstant } from './time-zone';
import { addDays } from './week';

/** A swap closes this long before the visit, or at a time on the day before it. */
export type SwapNotice = { kind: 'before'; minutes: number } | { kind: 'day-before'; at: number };

type JoiningMode = 'invitation' | 'consent';

export interface TeamRules {
	/** The weekly meeting: ISO weekday (1 Monday … 7 Sunday) and start, in minutes after midnight. */
	meeting: { weekday: number; start: number };
	/** More different carers than this for one client in a week is flagged on the rota. */
	maxCarersPerClient: number;
	swapNotice: SwapNotice;
	/** An async round closes this many days after it is proposed, unless its proposer says. */
	asyncDeadlineDays: number;
	/** An invitation alone, or the team's consent once the invitee has accepted. */
	joining: JoiningMode;
	/** The pulse shows a week from this many answers up (never fewer than PULSE_MIN_ANSWERS). */
	pulseThreshold: number;
}

export type RuleKey = keyof TeamRules;
export const RULE_KEYS: readonly RuleKey[] = [
	'meeting',
	'maxCarersPerClient',
	'swapNotice',
	'asyncDeadlineDays',
	'joining',
	'pulseThreshold'
];

/** What a team starts with, before it decides otherwise. */
export const DEFAULT_RULES: TeamRules = {
	meeting: { weekday: 2, start: 14 * 60 },
	maxCarersPerClient: 3,
	swapNotice: { kind: 'before', minutes: 2 * 60 },
	asyncDeadlineDays: 7,
	joining: 'invitation',
	pulseThreshold: PULSE_MIN_ANSWERS
};

/** The bounds a decision must keep to. */
export const RULE_BOUNDS = {
	maxCarersPerClient: { min: 1, max: 10 },
	swapNoticeMinutes: { min: 0, max: 48 * 60 },
	asyncDeadlineDays: { min: 1, max: 30 },
	pulseThreshold: { min: PULSE_MIN_ANSWERS, max: 20 }
} as const;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const minuteOfDay = int(0, 24 * 60 - 1).refine((m) => m % 5 === 0);

const swapNotice = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('before'),
		minutes: int(RULE_BOUNDS.swapNoticeMinutes.min, RULE_BOUNDS.swapNoticeMinutes.max)
	}),
	z.object({ kind: z.literal('day-before'), at: minuteOfDay })
]);

/** A rule and its new value, as a decision carries it. */
export const ruleChangeSchema = z.discriminatedUnion('key', [
	z.object({
		key: z.literal('meeting'),
		value: z.object({ weekday: int(1, 7), start: minuteOfDay })
	}),
	z.object({
		key: z.literal('maxCarersPerClient'),
		value: int(RULE_BOUNDS.maxCarersPerClient.min, RULE_BOUNDS.maxCarersPerClient.max)
	}),
	z.object({ key: z.literal('swapNotice'), value: swapNotice }),
	z.object({
		key: z.literal('asyncDeadlineDays'),
		value: int(RULE_BOUNDS.asyncDeadlineDays.min, RULE_BOUNDS.asyncDeadlineDays.max)
	}),
	z.object({ key: z.literal('joining'), value: z.enum(['invitation', 'consent']) }),
	z.object({
		key: z.literal('pulseThreshold'),
		value: int(RULE_BOUNDS.pulseThreshold.min, RULE_BOUNDS.pulseThreshold.max)
	})
]);

export type RuleChange = { [K in RuleKey]: { key: K; value: TeamRules[K] } }[RuleKey];

/** Whether a rule change keeps to the bounds (checked when proposed and when adopted). */
export function isValidRuleChange(change: unknown): change is RuleChange {
	return ruleChangeSchema.safeParse(change).success;
}

/** The decision that set a rule's value: null while the default holds. */
interface RuleSource {
	decisionId: string;
	title: string;
	adoptedAt: string;
}

export type DerivedRules = { [K in RuleKey]: { value: TeamRules[K]; source: RuleSource | null } };

/** What derivation needs of a decision (src/lib/domain/consent.ts). */
export interface RuleDecision {
	id: string;
	title: string;
	stage: string;
	closedAt: string | null;
	change?: { kind: string; rule?: unknown; minutes?: number } | null;
	refersTo: string | null;
	review?: { outcome: string } | null;
}

/** The rule a decision sets, if it sets one (older records: the swap notice in minutes). */
function ruleOf(d: RuleDecision): RuleChange | null {
	const change = d.change ?? null;
	if (change === null) return null;
	if (change.kind === 'rule') return isValidRuleChange(change.rule) ? change.rule : null;
	// Before "Nos règles", the swap notice was a change of its own, in minutes.
	if (change.kind === 'swap-notice') {
		const rule = { key: 'swapNotice', value: { kind: 'before', minutes: change.minutes } };
		return isValidRuleChange(rule) ? rule : null;
	}
	return null;
}

/**
 * The team's rules as its adopted decisions set them: for each rule, the latest adopted decision
 * that changed it, unless a later review ended that decision (then the one before it holds, or the
 * default). A value out of bounds is never applied.
 */
export function deriveRules(decisions: readonly RuleDecision[]): DerivedRules {
	const adopted = decisions.filter((d) => d.stage === 'adopted' && d.closedAt !== null);
	const ended = new Set(
		adopted.filter((d) => d.review?.outcome === 'end' && d.refersTo).map((d) => d.refersTo!)
	);
	const rules = Object.fromEntries(
		RULE_KEYS.map((key) => [key, { value: DEFAULT_RULES[key], source: null }])
	) as DerivedRules;
	const inOrder = [...adopted].sort(
		(a, b) => Date.parse(a.closedAt!) - Date.parse(b.closedAt!) || a.id.localeCompare(b.id)
	);
	for (const d of inOrder) {
		const rule = ruleOf(d);
		if (rule === null || ended.has(d.id)) continue;
		(rules as Record<RuleKey, { value: unknown; source: RuleSource | null }>)[rule.key] = {
			value: rule.value,
			source: { decisionId: d.id, title: d.title, adoptedAt: d.closedAt! }
		};
	}
	return rules;
}

/** Only the values. */
export function valuesOf(derived: DerivedRules): TeamRules {
	return Object.fromEntries(RULE_KEYS.map((k) => [k, derived[k].value])) as unknown as TeamRules;
}

/** The last instant (ms) a visit on `date` at `start` (minutes, Paris time) may still be swapped. */
export function swapClosesAt(notice: SwapNotice, date: string, start: number): number {
	if (notice.kind === 'day-before')
		return wallClockToInstant(addDays(date, -1), notice.at).getTime();
	return wallClockToInstant(date, start).getTime() - notice.minutes * 60_000;
}

/** The date-time (local, `YYYY-MM-DDTHH:MM`) an async round proposed now closes by default. */
export function defaultDeadline(
	rules: Pick<TeamRules, 'asyncDeadlineDays'>,
	today: string
): string {
	return `${addDays(today, rules.asyncDeadlineDays)}T18:00`;
}
