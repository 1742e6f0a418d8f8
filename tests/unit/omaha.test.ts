import { describe, expect, it } from 'vitest';
import {
	OMAHA_DOMAINS,
	OMAHA_PROBLEMS,
	omahaProblem,
	omahaTrend,
	parseOmaha,
	type OmahaProblem,
	type OmahaRating
} from '../../src/lib/domain/omaha';

const rating = (date: string, k: number, b: number, s: number) => ({
	date,
	knowledge: k,
	behaviour: b,
	status: s
});
const problem = (...ratings: OmahaRating[]): OmahaProblem => ({
	code: '42',
	addedAt: '2026-06-15',
	ratings
});

describe('the Omaha classification', () => {
	it('has four domains and 42 problems, each with a French label', () => {
		expect(OMAHA_DOMAINS).toHaveLength(4);
		expect(OMAHA_PROBLEMS).toHaveLength(42);
		for (const p of OMAHA_PROBLEMS) expect(p.fr.trim()).not.toBe('');
		expect(omahaProblem('42')?.domain).toBe('health-related-behaviors');
		expect(omahaProblem('99')).toBeNull();
	});
});

describe('parseOmaha', () => {
	it('reads a card without problems as none', () => {
		expect(parseOmaha(undefined)).toEqual({ problems: [], ok: true });
		expect(parseOmaha({})).toEqual({ problems: [], ok: true });
	});

	it('reads problems in classification order with their ratings oldest first', () => {
		const { problems, ok } = parseOmaha({
			'42': {
				code: '42',
				addedAt: '2026-06-15',
				ratings: [rating('2026-10-15', 3, 3, 3), rating('2026-06-15', 2, 2, 2)]
			},
			'04': { code: '04', addedAt: '2026-06-15', ratings: [] }
		});
		expect(ok).toBe(true);
		expect(problems.map((p) => p.code)).toEqual(['04', '42']);
		expect(problems[1]?.ratings.map((r) => r.date)).toEqual(['2026-06-15', '2026-10-15']);
	});

	it('drops a problem whose code is not in the classification, and flags it', () => {
		const { problems, ok } = parseOmaha({
			'99': { code: '99', addedAt: '2026-06-15', ratings: [] },
			'42': { code: '42', addedAt: '2026-06-15', ratings: [] }
		});
		expect(ok).toBe(false);
		expect(problems.map((p) => p.code)).toEqual(['42']);
	});

	it('keeps a problem but drops its ratings that do not fit, and flags them', () => {
		const { problems, ok } = parseOmaha({
			'42': {
				code: '42',
				addedAt: 'juin',
				ratings: [
					rating('2026-06-15', 2, 2, 2),
					rating('2026-07-15', 0, 2, 2),
					rating('2026-08-15', 2, 6, 2),
					rating('2026-09-15', 2, 2, 2.5),
					rating('15/10/2026', 3, 3, 3),
					'3-3-3'
				]
			}
		});
		expect(ok).toBe(false);
		expect(problems[0]?.addedAt).toBeNull();
		expect(problems[0]?.ratings).toEqual([rating('2026-06-15', 2, 2, 2)]);
	});

	it('flags problems or ratings that are not of the expected kind at all', () => {
		expect(parseOmaha([]).ok).toBe(false);
		expect(parseOmaha({ '42': 'nutrition' })).toEqual({ problems: [], ok: false });
		expect(parseOmaha({ '42': { code: '42', ratings: 'none' } }).ok).toBe(false);
	});
});

describe('omahaTrend', () => {
	it('is unknown before a second rating', () => {
		expect(omahaTrend(problem())).toBe('unknown');
		expect(omahaTrend(problem(rating('2026-06-15', 2, 2, 2) as OmahaRating))).toBe('unknown');
	});

	it('compares the latest rating with the first by the sum of the three scores', () => {
		const intake = rating('2026-06-15', 2, 3, 2) as OmahaRating;
		expect(omahaTrend(problem(intake, rating('2026-10-15', 3, 3, 2) as OmahaRating))).toBe(
			'better'
		);
		expect(omahaTrend(problem(intake, rating('2026-10-15', 2, 2, 2) as OmahaRating))).toBe('worse');
		expect(omahaTrend(problem(intake, rating('2026-10-15', 3, 2, 2) as OmahaRating))).toBe('same');
	});

	it('looks past a dip in between to the latest rating', () => {
		const ratings = [
			rating('2026-06-15', 2, 2, 2),
			rating('2026-08-15', 1, 1, 1),
			rating('2026-10-15', 3, 2, 2)
		] as OmahaRating[];
		expect(omahaTrend(problem(...ratings))).toBe('better');
	});
});
