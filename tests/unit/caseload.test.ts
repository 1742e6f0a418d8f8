import { describe, expect, it } from 'vitest';
import {
	loadBy,
	matchesSearch,
	parseClientCard,
	parseClock,
	weeklyMinutes,
	readTransmissions,
	type VisitSlot
} from '../../src/lib/domain/caseload';

const slot = (
	weekday: VisitSlot['weekday'],
	start: number,
	minutes: number,
	qualification: VisitSlot['qualification'] = 'any'
): VisitSlot => ({
	weekday,
	start,
	minutes,
	qualification
});

describe('parseClientCard', () => {
	it('reads a well-formed card, with its pattern in week order', () => {
		const { card, problems } = parseClientCard('c1', {
			name: ' Mme Jeanne Roux ',
			address: '12 rue Dumenge',
			sector: 'Plateau',
			status: 'active',
			statusSince: '2026-09-01',
			primaryCarerId: 'u1',
			needs: 'Toilette, aide au lever',
			visitPattern: [slot(3, 480, 30), slot(1, 510, 45, 'nurse')],
			createdAt: '2026-09-01T08:00:00Z'
		});
		expect(problems).toEqual([]);
		expect(card.name).toBe('Mme Jeanne Roux');
		expect(card.visitPattern.map((s) => s.weekday)).toEqual([1, 3]);
	});

	it('flags what does not fit instead of failing', () => {
		const { card, problems } = parseClientCard('c2', {
			name: 42,
			status: 'gone',
			visitPattern: [
				slot(1, 480, 30),
				{ weekday: 9, start: 0, minutes: 10, qualification: 'any' },
				'x'
			],
			address: ['not', 'text'],
			primaryCarerId: 7
		});
		expect(problems).toEqual([
			'name-missing',
			'status-invalid',
			'pattern-invalid',
			'text-invalid',
			'carer-invalid'
		]);
		expect(card).toMatchObject({ name: '?', status: 'active', address: '', primaryCarerId: null });
		expect(card.visitPattern).toHaveLength(1);
	});

	it('survives anything at all', () => {
		for (const raw of [null, undefined, 'card', 12, [], { visitPattern: 'daily' }]) {
			const { card, problems } = parseClientCard('x', raw);
			expect(card.id).toBe('x');
			expect(problems.length).toBeGreaterThan(0);
		}
	});
});

describe('visit load', () => {
	it('adds up a week of visits', () => {
		const twiceDaily = [1, 2, 3, 4, 5, 6, 7].flatMap((d) => [
			slot(d as VisitSlot['weekday'], 480, 30),
			slot(d as VisitSlot['weekday'], 1140, 20)
		]);
		expect(weeklyMinutes(twiceDaily)).toBe(7 * 50);
		expect(weeklyMinutes([])).toBe(0);
	});

	it('counts active clients and weekly minutes per sector, unsectored last', () => {
		const card = (id: string, sector: string, status: 'active' | 'paused', minutes: number) =>
			parseClientCard(id, { name: id, sector, status, visitPattern: [slot(1, 480, minutes)] }).card;
		const lines = loadBy(
			[
				card('a', 'Pentes', 'active', 30),
				card('b', '', 'active', 45),
				card('c', 'Pentes', 'active', 60),
				card('d', 'Plateau', 'paused', 90),
				card('e', 'Ébauche', 'active', 15)
			],
			(c) => c.sector
		);
		expect(lines).toEqual([
			{ key: 'Ébauche', clients: 1, weeklyMinutes: 15 },
			{ key: 'Pentes', clients: 2, weeklyMinutes: 90 },
			{ key: '', clients: 1, weeklyMinutes: 45 }
		]);
	});
});

describe('search and times', () => {
	it('finds names whatever the accents and case', () => {
		const { card } = parseClientCard('c', { name: 'M. Hélène Lefèvre', status: 'active' });
		expect(matchesSearch(card, 'lefevre')).toBe(true);
		expect(matchesSearch(card, 'HELENE')).toBe(true);
		expect(matchesSearch(card, '')).toBe(true);
		expect(matchesSearch(card, 'martin')).toBe(false);
	});

	it('reads clock times typed the French or the ISO way', () => {
		expect(parseClock('8:30')).toBe(510);
		expect(parseClock('08h30')).toBe(510);
		expect(parseClock('24:00')).toBeNull();
		expect(parseClock('8.30')).toBeNull();
	});
});

describe('readTransmissions', () => {
	it('keeps well-formed entries, latest first', () => {
		const entries = readTransmissions([
			{
				id: 'a',
				at: '2026-11-23T08:30:00Z',
				authorId: 'u1',
				authorName: 'Aïcha',
				text: 'Pansement refait'
			},
			{
				id: 'b',
				at: '2026-11-24T07:45:00Z',
				authorId: 'u2',
				authorName: 'Julien',
				text: 'Surveiller la fièvre'
			},
			{ id: 'c', at: 'hier', authorId: 'u2', authorName: 'Julien', text: 'date illisible' },
			'junk',
			null
		]);
		expect(entries.map((t) => t.id)).toEqual(['b', 'a']);
		expect(readTransmissions('nope')).toEqual([]);
	});
});
