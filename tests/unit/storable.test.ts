import { describe, expect, it } from 'vitest';
import { indexableKey, storableRow } from '../../src/lib/server/db/storable';

const visit = {
	teamId: 't1',
	week: '2026-W47',
	id: 'v1',
	clientId: 'c1',
	carerId: null,
	date: '2026-11-17',
	start: 480,
	minutes: 30,
	qualification: 'any',
	problems: ['name-missing']
};

describe('rows as Postgres can store them', () => {
	it('gives back the very row Kring wrote when nothing in it needs changing', () => {
		expect(storableRow(visit)).toBe(visit);
		const odd = { ...visit, name: 'Mme Zoé 漢 😀', refusedCarerIds: ['u1', 'u2'] };
		expect(storableRow(odd)).toBe(odd);
	});

	it('keys through indexableKey, other text with U+FFFD for NUL and lone surrogates, however deep', () => {
		const long = 'k'.repeat(10_000);
		const row = {
			...visit,
			id: 'v\u0000',
			carerId: long,
			refusedCarerIds: ['u1', 'u\u0000'],
			name: 'Nul \u0000 ici \ud800',
			problems: ['\u0000'],
			extra: { 'a\u0000': ['x\udfff'] }
		};
		expect(storableRow(row)).toEqual({
			...visit,
			id: indexableKey('v\u0000'),
			carerId: indexableKey(long),
			refusedCarerIds: ['u1', indexableKey('u\u0000')],
			name: 'Nul \uFFFD ici \uFFFD',
			problems: ['\uFFFD'],
			extra: { 'a\uFFFD': ['x\uFFFD'] }
		});
		// The row read from the document is left as it was.
		expect(row.refusedCarerIds).toEqual(['u1', 'u\u0000']);
		expect(Object.keys(row.extra)).toEqual(['a\u0000']);
		// A long text that is no key stays whole.
		const notes = { ...visit, needs: 'n'.repeat(10_000) };
		expect(storableRow(notes)).toBe(notes);
	});
});
