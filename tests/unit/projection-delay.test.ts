import { describe, expect, it } from 'vitest';
import { projectionDelay } from '../../src/lib/server/collab/projections';

describe('the wait before a changed document is projected', () => {
	it('is the settle delay for a document read in no time', () => {
		expect(projectionDelay(300, 0)).toBe(300);
		expect(projectionDelay(300, 6)).toBe(300);
	});

	it('grows to fifty readings for a document that takes long to read, up to five seconds', () => {
		expect(projectionDelay(300, 40)).toBe(2_000);
		expect(projectionDelay(300, 1_000)).toBe(5_000);
	});
});
