import { describe, expect, it } from 'vitest';
import {
	addDays,
	addWeeks,
	daysBetween,
	isoWeekMonday,
	isoWeeksInYear,
	isWeek,
	mondayOf,
	mondayOfDate,
	parseWeek,
	weekdayOf,
	weekOf
} from '../../src/lib/domain/week';

describe('ISO weeks', () => {
	it('names the week of a date, across year boundaries', () => {
		expect(weekOf('2026-12-28')).toBe('2026-W53');
		expect(weekOf('2027-01-03')).toBe('2026-W53');
		expect(weekOf('2027-01-04')).toBe('2027-W01');
		expect(weekOf('2024-12-30')).toBe('2025-W01');
		expect(weekOf('2026-01-01')).toBe('2026-W01');
	});

	it('gives the Monday of a week, and null for a week that does not exist', () => {
		expect(mondayOf('2026-W53')).toBe('2026-12-28');
		expect(mondayOf('2027-W01')).toBe('2027-01-04');
		expect(mondayOf('2025-W01')).toBe('2024-12-30');
		expect(mondayOf('2025-W53')).toBeNull();
		expect(mondayOf('2026-W00')).toBeNull();
		expect(mondayOf('2026-W54')).toBeNull();
		expect(mondayOf('2026-W1')).toBeNull();
		expect(mondayOf('2026W01')).toBeNull();
		expect(mondayOf('0050-W01')).toBeNull();
		expect(mondayOf(' 2026-W01')).toBeNull();
	});

	it('parses only real weeks written YYYY-Www', () => {
		expect(parseWeek('2026-W53')).toEqual({ year: 2026, week: 53 });
		expect(parseWeek('2025-W53')).toBeNull();
		expect(isWeek('2020-W53')).toBe(true);
		expect(isWeek('2021-W53')).toBe(false);
	});

	it('counts 53 weeks in years that start or end on a Thursday', () => {
		expect(isoWeeksInYear(2026)).toBe(53);
		expect(isoWeeksInYear(2025)).toBe(52);
		expect(isoWeeksInYear(2020)).toBe(53);
	});

	it('steps weeks across a 53-week year', () => {
		expect(addWeeks('2026-W52', 1)).toBe('2026-W53');
		expect(addWeeks('2026-W53', 1)).toBe('2027-W01');
		expect(addWeeks('2027-W01', -1)).toBe('2026-W53');
		expect(addWeeks('2026-W10', -10)).toBe('2025-W52');
		expect(() => addWeeks('2025-W53', 1)).toThrow();
	});

	it('round-trips every week of several years through its Monday', () => {
		for (let year = 2019; year <= 2032; year++) {
			for (let week = 1; week <= isoWeeksInYear(year); week++) {
				const monday = isoWeekMonday(year, week);
				expect(weekdayOf(monday)).toBe(1);
				expect(parseWeek(weekOf(monday))).toEqual({ year, week });
			}
		}
	});
});

describe('days', () => {
	it('adds days across month, year and leap-day boundaries', () => {
		expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
		expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(daysBetween('2026-12-28', '2027-01-04')).toBe(7);
	});

	it('finds the Monday of the week a date falls in', () => {
		expect(mondayOfDate('2027-01-03')).toBe('2026-12-28');
		expect(mondayOfDate('2026-12-28')).toBe('2026-12-28');
		expect(weekdayOf('2027-01-03')).toBe(7);
	});
});
