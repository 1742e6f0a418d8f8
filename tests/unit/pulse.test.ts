import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/lib/domain/forms';
import {
	closedWeeksBefore,
	colourShare,
	COLOURS,
	PULSE_MIN_ANSWERS,
	PULSE_QUESTIONS,
	pulseAnswerSchema,
	shuffled,
	summarisePulse,
	weekEnded,
	type Colour,
	type PulseAnswerValues
} from '../../src/lib/domain/pulse';
import { addWeeks, isWeek, mondayOf, weekOf } from '../../src/lib/domain/week';

const all = (c: Colour): PulseAnswerValues => ({
	energy: c,
	workload: c,
	teamwork: c,
	decisions: c
});

const form = (fields: Record<string, string>) => {
	const data = new FormData();
	for (const [k, v] of Object.entries(fields)) data.append(k, v);
	return data;
};
const complete = { energy: 'green', workload: 'amber', teamwork: 'red', decisions: 'green' };

describe('summarisePulse', () => {
	it('shows nothing below five answers, including an empty week and a team of one', () => {
		expect(PULSE_MIN_ANSWERS).toBe(5);
		expect(summarisePulse('2026-W48', [])).toBeNull();
		expect(summarisePulse('2026-W48', [all('red')])).toBeNull();
		expect(summarisePulse('2026-W48', Array(4).fill(all('green')))).toBeNull();
	});

	it('counts each colour per question from five answers up', () => {
		const answers: PulseAnswerValues[] = [
			all('green'),
			all('green'),
			{ energy: 'amber', workload: 'red', teamwork: 'green', decisions: 'amber' },
			{ energy: 'red', workload: 'red', teamwork: 'green', decisions: 'green' },
			{ energy: 'green', workload: 'amber', teamwork: 'amber', decisions: 'red' }
		];
		expect(summarisePulse('2026-W48', answers)).toEqual({
			week: '2026-W48',
			answers: 5,
			questions: {
				energy: { green: 3, amber: 1, red: 1 },
				workload: { green: 2, amber: 1, red: 2 },
				teamwork: { green: 4, amber: 1, red: 0 },
				decisions: { green: 3, amber: 1, red: 1 }
			}
		});
	});

	it('keeps every answer once in each question, whatever the answers', () => {
		const colour = fc.constantFrom(...COLOURS);
		const answer = fc.record({
			energy: colour,
			workload: colour,
			teamwork: colour,
			decisions: colour
		});
		fc.assert(
			fc.property(fc.array(answer, { minLength: 5, maxLength: 40 }), (answers) => {
				const figure = summarisePulse('2026-W01', answers)!;
				expect(figure.answers).toBe(answers.length);
				for (const q of PULSE_QUESTIONS) {
					const { green, amber, red } = figure.questions[q];
					expect(green + amber + red).toBe(answers.length);
					expect(COLOURS.reduce((s, c) => s + colourShare(figure, q, c), 0)).toBeCloseTo(1);
				}
			})
		);
	});

	it('does not depend on the order of the answers', () => {
		const answers = [all('green'), all('amber'), all('red'), all('green'), all('amber')];
		expect(summarisePulse('2026-W02', [...answers].reverse())).toEqual(
			summarisePulse('2026-W02', answers)
		);
	});
});

describe('ISO weeks', () => {
	it('names the week of a date, across the turn of the year', () => {
		expect(weekOf('2026-11-24')).toBe('2026-W48');
		expect(weekOf('2026-01-01')).toBe('2026-W01');
		expect(weekOf('2027-01-01')).toBe('2026-W53');
		expect(weekOf('2024-12-30')).toBe('2025-W01');
	});

	it('finds the Monday of a week and refuses weeks that do not exist', () => {
		expect(mondayOf('2026-W48')).toBe('2026-11-23');
		expect(mondayOf('2026-W53')).toBe('2026-12-28');
		expect(mondayOf('2025-W53')).toBeNull();
		expect(mondayOf('2026-W00')).toBeNull();
		expect(mondayOf('2026-48')).toBeNull();
		expect(isWeek('2026-W5')).toBe(false);
	});

	it('steps weeks forwards and back', () => {
		expect(addWeeks('2026-W01', -1)).toBe('2025-W52');
		expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
		expect(closedWeeksBefore('2026-11-24', 3)).toEqual(['2026-W47', '2026-W46', '2026-W45']);
	});

	it('says a week ended only once the next one began', () => {
		expect(weekEnded('2026-W47', '2026-11-22')).toBe(false); // its own Sunday
		expect(weekEnded('2026-W47', '2026-11-23')).toBe(true); // the next Monday
		expect(weekEnded('2026-W48', '2026-11-24')).toBe(false);
		expect(weekEnded('2026-W49', '2026-11-24')).toBe(false);
		expect(weekEnded('2025-W53', '2026-11-24')).toBe(false); // no such week
	});
});

describe('shuffled', () => {
	it('keeps every item, and uses the random source for the order', () => {
		const items = ['a', 'b', 'c', 'd', 'e'];
		const first = shuffled(items, () => 0);
		expect([...first].sort()).toEqual(items);
		expect(first).not.toEqual(items);
		expect(items).toEqual(['a', 'b', 'c', 'd', 'e']); // the input is left alone
		fc.assert(
			fc.property(
				fc.array(fc.integer()),
				fc.infiniteStream(fc.double({ min: 0, max: 0.999, noNaN: true })),
				(list, rolls) => {
					const out = shuffled(list, (n) => Math.floor(rolls.next().value * n));
					expect([...out].sort()).toEqual([...list].sort());
				}
			)
		);
	});
});

describe('the pulse form', () => {
	it('takes four colours and an optional word', () => {
		expect(parseForm(pulseAnswerSchema, form(complete))).toEqual({
			ok: true,
			data: { ...complete, word: null }
		});
		expect(parseForm(pulseAnswerSchema, form({ ...complete, word: '  Bonne semaine  ' }))).toEqual({
			ok: true,
			data: { ...complete, word: 'Bonne semaine' }
		});
		expect(parseForm(pulseAnswerSchema, form({ ...complete, word: '   ' }))).toMatchObject({
			ok: true,
			data: { word: null }
		});
	});

	it('names each missing or unknown colour', () => {
		expect(parseForm(pulseAnswerSchema, form({ energy: 'blue', workload: 'green' }))).toEqual({
			ok: false,
			errors: { energy: 'invalid', teamwork: 'required', decisions: 'required' }
		});
	});

	it('refuses a word over 140 characters or with control characters', () => {
		expect(parseForm(pulseAnswerSchema, form({ ...complete, word: 'é'.repeat(140) })).ok).toBe(
			true
		);
		expect(parseForm(pulseAnswerSchema, form({ ...complete, word: 'x'.repeat(141) }))).toEqual({
			ok: false,
			errors: { word: 'too_long' }
		});
		expect(parseForm(pulseAnswerSchema, form({ ...complete, word: 'un\u0000deux' }))).toEqual({
			ok: false,
			errors: { word: 'invalid' }
		});
	});

	it('refuses a file where a colour or the word was expected', () => {
		const data = form({ workload: 'green', teamwork: 'green', decisions: 'green' });
		data.append('energy', new Blob(['green']), 'x.txt');
		data.append('word', new Blob(['x']), 'y.txt');
		expect(parseForm(pulseAnswerSchema, data)).toEqual({
			ok: false,
			errors: { energy: 'invalid', word: 'invalid' }
		});
	});
});
