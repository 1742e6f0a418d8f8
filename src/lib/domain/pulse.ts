import { z } from 'zod';
import { isCleanLine } from './text';
import { addWeeks, isWeek, weekOf } from './week';

/**
 * The anonymous weekly pulse, in the spirit of a squad health check: four short questions, each
 * answered green, amber or red, and an optional word. A week is shown only as a team figure, only
 * once it has ended, and only from PULSE_MIN_ANSWERS answers up (src/lib/server/pulse.ts).
 */
export type Colour = 'green' | 'amber' | 'red';
export const COLOURS = ['green', 'amber', 'red'] as const satisfies readonly Colour[];

/** Below this many answers a week shows nothing: too few to hide anyone. */
export const PULSE_MIN_ANSWERS = 5;

export type PulseQuestion = 'energy' | 'workload' | 'teamwork' | 'decisions';
export const PULSE_QUESTIONS: readonly PulseQuestion[] = [
	'energy',
	'workload',
	'teamwork',
	'decisions'
];

/** The optional word, in characters. */
export const PULSE_WORD_MAX = 140;

/** One member's answer, as stored: no member, no time. */
export type PulseAnswerValues = Record<PulseQuestion, Colour>;

/** A closed week's team figure: how many answered, and how many chose each colour per question. */
export interface PulseFigure {
	week: string;
	answers: number;
	questions: Record<PulseQuestion, Record<Colour, number>>;
}

/**
 * The team figure of a week's answers, or null below the team's threshold (its rule, Nos règles),
 * which is never below PULSE_MIN_ANSWERS: a figure over fewer answers would let colleagues guess
 * who said what.
 */
export function summarisePulse(
	week: string,
	answers: readonly PulseAnswerValues[],
	threshold: number = PULSE_MIN_ANSWERS
): PulseFigure | null {
	if (answers.length < Math.max(PULSE_MIN_ANSWERS, threshold)) return null;
	const empty = (): Record<Colour, number> => ({ green: 0, amber: 0, red: 0 });
	const questions = {
		energy: empty(),
		workload: empty(),
		teamwork: empty(),
		decisions: empty()
	} satisfies Record<PulseQuestion, Record<Colour, number>>;
	for (const answer of answers) {
		for (const question of PULSE_QUESTIONS) questions[question][answer[question]] += 1;
	}
	return { week, answers: answers.length, questions };
}

/** The share (0–1) of a question's answers in a colour; 0 for an empty figure. */
export function colourShare(figure: PulseFigure, question: PulseQuestion, colour: Colour): number {
	return figure.answers === 0 ? 0 : figure.questions[question][colour] / figure.answers;
}

/** True when `week` ended before the week of `today` ('YYYY-MM-DD') began. */
export function weekEnded(week: string, today: string): boolean {
	// `YYYY-Www` sorts as weeks do.
	return isWeek(week) && week < weekOf(today);
}

/** The `count` weeks that ended before the week of `today`, the most recent first. */
export function closedWeeksBefore(today: string, count: number): string[] {
	const current = weekOf(today);
	return Array.from({ length: count }, (_, i) => addWeeks(current, -(i + 1)));
}

/**
 * The items in random order (Fisher–Yates). `randomBelow(n)` gives a whole number in [0, n): the
 * server passes the CSPRNG, so the order of stored answers says nothing about when they came.
 */
export function shuffled<T>(items: readonly T[], randomBelow: (n: number) => number): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = randomBelow(i + 1);
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

const colour = z.enum(COLOURS, {
	error: (issue) => (issue.input === undefined ? 'required' : 'invalid')
});

/** The pulse form. Issues carry codes of `FieldErrorCode` (src/lib/domain/forms.ts). */
export const pulseAnswerSchema = z.object({
	energy: colour,
	workload: colour,
	teamwork: colour,
	decisions: colour,
	word: z
		.string({ error: 'invalid' })
		.optional()
		.transform((s) => (s ?? '').trim())
		.pipe(
			z
				.string()
				.max(PULSE_WORD_MAX, { error: 'too_long' })
				.refine(isCleanLine, { error: 'invalid' })
		)
		.transform((s) => (s === '' ? null : s))
});
export type PulseAnswerForm = z.output<typeof pulseAnswerSchema>;
