import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAbsence, readAbsences, removeAbsence } from '../../src/lib/collab/absences';
import { coversDay, currentAndComing, parseAbsences } from '../../src/lib/domain/absences';

describe('absences', () => {
	it('reads well-formed absences by start date and counts the rest, never failing', () => {
		const { absences, invalid } = parseAbsences({
			b: { memberId: 'u2', kind: 'sickness', from: '2026-12-03', to: '2026-12-04', note: '' },
			a: { memberId: 'u1', kind: 'leave', from: '2026-12-01', to: '2026-12-05' },
			backwards: { memberId: 'u1', kind: 'leave', from: '2026-12-05', to: '2026-12-01' },
			odd: { memberId: 'u1', kind: 'holiday', from: '2026-12-01', to: '2026-12-01' },
			junk: 42
		});
		expect(absences.map((a) => a.id)).toEqual(['a', 'b']);
		expect(invalid).toBe(3);
		expect(parseAbsences('nonsense')).toEqual({ absences: [], invalid: 1 });
		expect(parseAbsences(undefined)).toEqual({ absences: [], invalid: 0 });
	});

	it('covers whole days, both ends included, and keeps what runs or comes', () => {
		const a = {
			id: 'a',
			memberId: 'u1',
			kind: 'leave' as const,
			from: '2026-12-01',
			to: '2026-12-03',
			note: ''
		};
		expect(
			['2026-11-30', '2026-12-01', '2026-12-03', '2026-12-04'].map((d) => coversDay(a, d))
		).toEqual([false, true, true, false]);
		expect(currentAndComing([a], '2026-12-03')).toHaveLength(1);
		expect(currentAndComing([a], '2026-12-04')).toHaveLength(0);
	});

	it('refuses an end before the start, and keeps both absences two phones add at once', () => {
		const one = new Y.Doc();
		const two = new Y.Doc();
		expect(
			addAbsence(one, { memberId: 'u1', kind: 'leave', from: '2026-12-05', to: '2026-12-01' })
		).toEqual({ ok: false, reason: 'end-before-start' });
		expect(
			addAbsence(one, { memberId: 'u1', kind: 'leave', from: 'demain', to: '2026-12-01' })
		).toEqual({ ok: false, reason: 'dates-invalid' });
		const added = addAbsence(one, {
			memberId: 'u1',
			kind: 'leave',
			from: '2026-12-01',
			to: '2026-12-05'
		});
		addAbsence(two, {
			memberId: 'u2',
			kind: 'training',
			from: '2026-12-02',
			to: '2026-12-02',
			note: 'Plaies'
		});
		Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
		Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
		expect(readAbsences(one).map((a) => a.memberId)).toEqual(['u1', 'u2']);
		expect(readAbsences(two)).toEqual(readAbsences(one));
		if (added.ok) removeAbsence(one, added.id);
		expect(readAbsences(one).map((a) => a.memberId)).toEqual(['u2']);
	});
});
