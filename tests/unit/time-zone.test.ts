import { describe, expect, it } from 'vitest';
import { todayIn, wallClockToInstant } from '../../src/lib/domain/time-zone';

describe('wallClockToInstant', () => {
	it('reads Paris wall-clock times in winter and in summer', () => {
		expect(wallClockToInstant('2026-12-01', 8 * 60 + 30).toISOString()).toBe(
			'2026-12-01T07:30:00.000Z'
		);
		expect(wallClockToInstant('2026-07-01', 8 * 60 + 30).toISOString()).toBe(
			'2026-07-01T06:30:00.000Z'
		);
	});

	it('handles a visit past midnight and the days clocks change', () => {
		expect(wallClockToInstant('2026-12-01', 24 * 60 + 15).toISOString()).toBe(
			'2026-12-01T23:15:00.000Z'
		);
		// 29 March 2026: 2:00 becomes 3:00. 1:30 is still winter time, 3:30 already summer time.
		expect(wallClockToInstant('2026-03-29', 90).toISOString()).toBe('2026-03-29T00:30:00.000Z');
		expect(wallClockToInstant('2026-03-29', 210).toISOString()).toBe('2026-03-29T01:30:00.000Z');
		// 25 October 2026: 3:00 becomes 2:00 again; 10:00 is winter time.
		expect(wallClockToInstant('2026-10-25', 600).toISOString()).toBe('2026-10-25T09:00:00.000Z');
	});

	it('gives today in Paris, not in UTC', () => {
		expect(todayIn('Europe/Paris', new Date('2026-11-30T23:30:00Z'))).toBe('2026-12-01');
	});
});
