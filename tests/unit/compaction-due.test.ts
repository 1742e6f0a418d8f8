import { describe, expect, it } from 'vitest';
import { compactionDue, DEFAULTS } from '../../src/lib/server/collab/engine/defaults';

const settings = { compactThreshold: 500, compactLogShare: 0.5 };

describe('when a document log is folded into its snapshot', () => {
	it('waits for the row threshold, whatever the log weighs', () => {
		expect(compactionDue({ rows: 499, bytes: 10_000_000 }, 0, settings)).toBe(false);
		expect(compactionDue({ rows: 500, bytes: 100 }, 0, settings)).toBe(true);
	});

	it('then waits until the log weighs its share of the snapshot', () => {
		// A 400 KiB document and 500 rows of 70 bytes: rewriting it would drop 35 KiB.
		expect(compactionDue({ rows: 500, bytes: 35_000 }, 400_000, settings)).toBe(false);
		expect(compactionDue({ rows: 2_900, bytes: 199_999 }, 400_000, settings)).toBe(false);
		expect(compactionDue({ rows: 2_900, bytes: 200_000 }, 400_000, settings)).toBe(true);
	});

	it('compacts at ten times the row threshold, however big the snapshot', () => {
		expect(compactionDue({ rows: 4_999, bytes: 50_000 }, 50_000_000, settings)).toBe(false);
		expect(compactionDue({ rows: 5_000, bytes: 50_000 }, 50_000_000, settings)).toBe(true);
	});

	it('is set by default to rewrite each logged byte at most three times', () => {
		expect(DEFAULTS.compactLogShare).toBe(0.5);
		expect(compactionDue({ rows: 600, bytes: 60_000 }, 100_000, DEFAULTS)).toBe(true);
	});
});
