/**
 * The kaizen board (schema version 1): improvement cards a team works on together, in the five
 * columns of ALOÏS's "tableau des 5 colonnes" (problem, causes, countermeasures, who and by when,
 * result). Pure: the card's shape and limits, its moves, and what the weekly meeting looks at.
 *
 * Document `team/<teamId>/kaizen` (members write, coaches never open it):
 *   meta   Y.Map  { schemaVersion: 1 }
 *   cards  Y.Map  cardId → Y.Map of the fields of `KaizenCard` below (strings only)
 *
 * A card is open (the problem is being analysed), testing (a countermeasure is tried until its
 * check date), or dropped (it did not help, said in the result). Adopting a countermeasure as the
 * team's way of working is a team decision: the card then shows "adopted" once that decision is
 * adopted (the link lives in Postgres, table `kaizen_adoption`; a card cannot adopt itself).
 */
import { z } from 'zod';
import { STANDARD_LIMITS } from './care-standard';
import { FIGURE_KEYS } from './health';
import { isCleanLine, isCleanText } from './text';

export const KAIZEN_SCHEMA_VERSION = 1;

export const KAIZEN_LIMITS = {
	/** Cards a board may hold (dropped and adopted ones included: the team archives by deleting). */
	cards: 200,
	title: 120,
	/** Where, how often, who: one line each. */
	line: 200,
	/** What was seen, causes, countermeasures, the test, the result. */
	text: 2000,
	/** A published lesson. */
	lesson: 2000
} as const;

const CARD_STATES = ['open', 'testing', 'dropped'] as const;
export type CardState = (typeof CARD_STATES)[number];
/** What a card shows: its own state, or adopted once the team's decision adopted it. */
export type ShownState = CardState | 'proposed' | 'adopted';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const line = (max: number) =>
	z.string().max(max, { error: 'too_long' }).refine(isCleanLine, { error: 'invalid' });
const longText = (max: number) =>
	z.string().max(max, { error: 'too_long' }).refine(isCleanText, { error: 'invalid' });
const day = z.union([z.literal(''), z.string().regex(DATE, { error: 'invalid' })]);

/** One card as stored (every field a string, so a card is a flat Y.Map). */
const kaizenCardSchema = z.object({
	title: line(KAIZEN_LIMITS.title),
	// 1. the problem as observed in the field
	what: longText(KAIZEN_LIMITS.text),
	where: line(KAIZEN_LIMITS.line),
	howOften: line(KAIZEN_LIMITS.line),
	/** A health figure that slid and prompted the card (a key of FIGURE_KEYS), or ''. */
	figure: z.union([z.literal(''), z.enum(FIGURE_KEYS)]),
	// 2. causes, 3. countermeasures, 4. who and by when
	causes: longText(KAIZEN_LIMITS.text),
	countermeasures: longText(KAIZEN_LIMITS.text),
	who: line(KAIZEN_LIMITS.line),
	byWhen: day,
	/** The countermeasure being tested, and the day its effect is checked. */
	test: longText(KAIZEN_LIMITS.text),
	checkOn: day,
	// 5. the result, against the figure or the observation
	result: longText(KAIZEN_LIMITS.text),
	state: z.enum(CARD_STATES),
	createdAt: z.string().max(40),
	/** The lesson of another team it was copied from, or ''. */
	fromLesson: line(64)
});
export type KaizenCardFields = z.infer<typeof kaizenCardSchema>;
export type KaizenCard = KaizenCardFields & { id: string };

const CARD_FIELDS = Object.keys(kaizenCardSchema.shape) as (keyof KaizenCardFields)[];

/** The fields a member edits; the state moves through `moveCard`, the rest is set once. */
export type EditableField = Exclude<keyof KaizenCardFields, 'state' | 'createdAt' | 'fromLesson'>;

/** The most characters each field holds: the page's `maxlength`, the same number the server checks. */
export function maxLengthOf(field: EditableField): number {
	switch (field) {
		case 'title':
			return KAIZEN_LIMITS.title;
		case 'where':
		case 'howOften':
		case 'who':
			return KAIZEN_LIMITS.line;
		case 'figure':
			return 64;
		case 'byWhen':
		case 'checkOn':
			return 10;
		default:
			return KAIZEN_LIMITS.text;
	}
}

export function emptyCard(createdAt: string): KaizenCardFields {
	return {
		title: '',
		what: '',
		where: '',
		howOften: '',
		figure: '',
		causes: '',
		countermeasures: '',
		who: '',
		byWhen: '',
		test: '',
		checkOn: '',
		result: '',
		state: 'open',
		createdAt,
		fromLesson: ''
	};
}

/** A card as read from the document: missing fields read as empty; null when it breaks the shape. */
export function parseCard(id: string, raw: unknown): KaizenCard | null {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
	const given = raw as Record<string, unknown>;
	const filled: Record<string, unknown> = { ...emptyCard('') };
	for (const field of CARD_FIELDS) if (given[field] !== undefined) filled[field] = given[field];
	const parsed = kaizenCardSchema.safeParse(filled);
	return parsed.success ? { id, ...parsed.data } : null;
}

type BoardProblem =
	| { kind: 'too-many-cards'; max: number }
	| { kind: 'bad-card'; cardId: string; field: string; code: string }
	| { kind: 'unknown-key'; key: string };

/**
 * What is wrong with a whole board (its JSON), or null when it fits: the server refuses any update
 * that would leave a board like this (see src/lib/server/collab/content-checks.ts).
 */
export function boardProblem(json: Record<string, unknown>): BoardProblem | null {
	for (const key of Object.keys(json))
		if (key !== 'meta' && key !== 'cards') return { kind: 'unknown-key', key };
	const cards = (json.cards ?? {}) as Record<string, unknown>;
	const ids = Object.keys(cards);
	if (ids.length > KAIZEN_LIMITS.cards) return { kind: 'too-many-cards', max: KAIZEN_LIMITS.cards };
	for (const id of ids) {
		const raw = cards[id];
		if (id.length > 64 || typeof raw !== 'object' || raw === null || Array.isArray(raw))
			return { kind: 'bad-card', cardId: id.slice(0, 64), field: '', code: 'invalid' };
		for (const key of Object.keys(raw))
			if (!(CARD_FIELDS as string[]).includes(key))
				return { kind: 'bad-card', cardId: id, field: key.slice(0, 64), code: 'invalid' };
		const parsed = kaizenCardSchema.partial().safeParse(raw);
		if (!parsed.success) {
			const issue = parsed.error.issues[0]!;
			return {
				kind: 'bad-card',
				cardId: id,
				field: String(issue.path[0] ?? ''),
				code: issue.message
			};
		}
	}
	return null;
}

/** The value a field may take, or the reason it may not: what the page checks before writing. */
export function checkField(
	field: EditableField,
	value: string
): { ok: true } | { ok: false; code: 'too_long' | 'invalid' } {
	const parsed = kaizenCardSchema.shape[field].safeParse(value);
	if (parsed.success) return { ok: true };
	return {
		ok: false,
		code: parsed.error.issues[0]!.message === 'too_long' ? 'too_long' : 'invalid'
	};
}

export type MoveRefusal =
	| 'problem-required'
	| 'test-required'
	| 'check-date-required'
	| 'result-required'
	| 'not-testing'
	| 'same-state'
	| 'adopted';

export type CardMove = 'start-test' | 'back-to-analysis' | 'drop' | 'reopen';

/**
 * A member's move of a card, or why not. Testing needs the problem, the countermeasure to test and
 * the day its effect is checked; dropping needs the result (why it did not help); an adopted card
 * (its decision adopted) moves no more: a change to the way of working is a new decision.
 */
export function moveCard(
	card: KaizenCardFields,
	move: CardMove,
	shown: ShownState
): { ok: true; state: CardState } | { ok: false; reason: MoveRefusal } {
	if (shown === 'adopted') return { ok: false, reason: 'adopted' };
	switch (move) {
		case 'start-test':
			if (card.state === 'testing') return { ok: false, reason: 'same-state' };
			if (card.what.trim() === '' && card.title.trim() === '')
				return { ok: false, reason: 'problem-required' };
			if (card.test.trim() === '') return { ok: false, reason: 'test-required' };
			if (card.checkOn === '') return { ok: false, reason: 'check-date-required' };
			return { ok: true, state: 'testing' };
		case 'back-to-analysis':
			if (card.state !== 'testing') return { ok: false, reason: 'not-testing' };
			return { ok: true, state: 'open' };
		case 'drop':
			if (card.state === 'dropped') return { ok: false, reason: 'same-state' };
			if (card.result.trim() === '') return { ok: false, reason: 'result-required' };
			return { ok: true, state: 'dropped' };
		case 'reopen':
			if (card.state !== 'dropped') return { ok: false, reason: 'same-state' };
			return { ok: true, state: 'open' };
	}
}

/**
 * May the team be asked to adopt this card's countermeasure as its way of working? Only a card
 * under test whose result is recorded, and not already proposed or adopted.
 */
export function adoptionRefusal(card: KaizenCardFields, shown: ShownState): MoveRefusal | null {
	if (shown === 'adopted' || shown === 'proposed') return 'adopted';
	if (card.state !== 'testing') return 'not-testing';
	if (card.result.trim() === '') return 'result-required';
	return null;
}

/**
 * What a care standard proposed from a card starts from (the member completes it): the card's
 * title, where the problem was seen as when it applies, the countermeasure tested as its steps
 * (one a line), and what was seen and what changed as why.
 */
export function standardDraftFromCard(card: KaizenCardFields): {
	title: string;
	appliesWhen: string;
	steps: string[];
	why: string;
} {
	const steps = (card.test.trim() || card.countermeasures.trim())
		.split(/\r?\n/)
		.map((l) => l.trim())
		.filter((l) => l !== '')
		.slice(0, STANDARD_LIMITS.items)
		.map((l) => l.slice(0, STANDARD_LIMITS.item));
	return {
		title: card.title.trim().slice(0, STANDARD_LIMITS.title),
		appliesWhen: card.where.trim().slice(0, STANDARD_LIMITS.appliesWhen),
		steps,
		why: [card.what.trim(), card.result.trim()]
			.filter((s) => s !== '')
			.join('\n\n')
			.slice(0, 2000)
	};
}

/** Stages of the decision an adoption waits for (consent.ts's stages). */
type DecisionStage = 'questions' | 'reactions' | 'round' | 'adopted' | 'withdrawn' | 'lapsed';

/** The state a card shows: an adopted decision wins; one still open shows as proposed. */
export function shownState(card: { state: CardState }, adoption: DecisionStage | null): ShownState {
	if (adoption === 'adopted') return 'adopted';
	if (adoption === 'questions' || adoption === 'reactions' || adoption === 'round')
		return 'proposed';
	return card.state;
}

/**
 * The meeting's kaizen step: cards under test whose check day has come (oldest first), and problems
 * raised since the previous meeting that nobody has started testing.
 */
export function meetingKaizen(
	cards: readonly KaizenCard[],
	input: { heldOn: string; since: string }
): { due: KaizenCard[]; fresh: KaizenCard[] } {
	const due = cards
		.filter((c) => c.state === 'testing' && c.checkOn !== '' && c.checkOn <= input.heldOn)
		.sort((a, b) => a.checkOn.localeCompare(b.checkOn) || a.id.localeCompare(b.id));
	const fresh = cards
		.filter((c) => c.state === 'open' && c.createdAt.slice(0, 10) >= input.since)
		.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
	return { due, fresh };
}

/** A lesson a team shares: its own words, no client data (checked by the server). */
export const lessonSchema = z.object({
	title: z
		.string({ error: 'required' })
		.trim()
		.min(1, { error: 'required' })
		.max(KAIZEN_LIMITS.title, { error: 'too_long' })
		.refine(isCleanLine, { error: 'invalid' }),
	text: z
		.string({ error: 'required' })
		.trim()
		.min(1, { error: 'required' })
		.max(KAIZEN_LIMITS.lesson, { error: 'too_long' })
		.refine(isCleanText, { error: 'invalid' })
});
export type LessonInput = z.infer<typeof lessonSchema>;

const requiredLine = (max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.min(1, { error: 'required' })
		.max(max, { error: 'too_long' })
		.refine(isCleanLine, { error: 'invalid' });
const requiredText = (max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.min(1, { error: 'required' })
		.max(max, { error: 'too_long' })
		.refine(isCleanText, { error: 'invalid' });
const reviewDay = z
	.string({ error: 'required' })
	.trim()
	.regex(DATE, { error: 'invalid' })
	.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'invalid' });

/**
 * A team decision asked for from a kaizen card or a care standard: what it is, why, and when it is
 * reviewed. Where it is decided (the open meeting, or between meetings) the server chooses.
 */
export const teamDecisionSchema = z.object({
	title: requiredLine(120),
	driver: requiredText(2000),
	text: requiredText(4000),
	reviewDate: reviewDay
});

export const cardIdSchema = z.string().regex(/^[0-9a-f-]{36}$/);
