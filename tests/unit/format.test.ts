import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration } from '../../src/lib/domain/format';

const NBSP = '\u00a0';

describe('formatDuration', () => {
	it('writes hours the French way, with non-breaking spaces', () => {
		expect(formatDuration(2100, 'fr')).toBe(`35${NBSP}h`);
		expect(formatDuration(1050, 'fr')).toBe(`17${NBSP}h${NBSP}30`);
		expect(formatDuration(65, 'fr')).toBe(`1${NBSP}h${NBSP}05`);
	});

	it('writes decimal hours in English', () => {
		expect(formatDuration(1050, 'en')).toBe(`17.5${NBSP}h`);
	});
});

describe('formatClock', () => {
	it('writes 8 h 30 in French and 08:30 in English', () => {
		expect(formatClock(8, 30, 'fr')).toBe(`8${NBSP}h${NBSP}30`);
		expect(formatClock(8, 30, 'en')).toBe('08:30');
		expect(formatClock(17, 0, 'fr')).toBe(`17${NBSP}h${NBSP}00`);
	});
});
