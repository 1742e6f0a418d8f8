import { describe, expect, it } from 'vitest';
import {
	isServerState,
	storageUnavailableSince,
	storageUnavailableState
} from '../../src/lib/collab/server-presence';

describe('what the server says about itself in presence', () => {
	it('tells since when it cannot save, and is never taken for a person', () => {
		const since = new Date('2026-03-02T08:30:00.000Z');
		const server = storageUnavailableState(since);
		const person = { user: { name: 'Alice Martin', colour: '#0f766e' }, selection: null };
		expect(storageUnavailableSince([person, server])).toBe('2026-03-02T08:30:00.000Z');
		expect(isServerState(server)).toBe(true);
		expect(isServerState(person)).toBe(false);
	});

	it('says nothing when no state carries the notice, or a state carries something else', () => {
		expect(storageUnavailableSince([])).toBeNull();
		expect(
			storageUnavailableSince([
				{ user: { name: 'Bob' } },
				null,
				'x',
				{ kring: null },
				{ kring: { storage: 'fine' } }
			])
		).toBeNull();
	});
});
