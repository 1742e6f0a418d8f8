import { describe, expect, it } from 'vitest';
import {
	assignmentRestrictions,
	firstVisitStatus,
	missingItems,
	parseFirstVisit,
	RISK_ITEMS,
	suggestedRestrictions,
	type RiskLevel
} from '../../src/lib/domain/first-visit';

const allItems = (level: RiskLevel) =>
	Object.fromEntries(RISK_ITEMS.map((item) => [item, { level, note: '' }]));

describe('parseFirstVisit', () => {
	it('reads a filled-in check with its people, restrictions and findings', () => {
		const { check, ok } = parseFirstVisit({
			date: '2026-10-02',
			introducedBy: 'u1',
			newCarerId: 'u2',
			nurseOnly: true,
			twoCarers: false,
			...allItems('low'),
			falls: { level: 'high', note: 'Tapis dans le couloir' }
		});
		expect(ok).toBe(true);
		expect(check).toMatchObject({
			date: '2026-10-02',
			introducedBy: 'u1',
			newCarerId: 'u2',
			nurseOnly: true,
			twoCarers: false
		});
		expect(check?.findings.falls).toEqual({ level: 'high', note: 'Tapis dans le couloir' });
		expect(check?.findings.access).toEqual({ level: 'low', note: '' });
	});

	it('reads a card without a check as no check, and says nothing is wrong', () => {
		expect(parseFirstVisit(undefined)).toEqual({ check: null, ok: true });
		expect(parseFirstVisit(null)).toEqual({ check: null, ok: true });
	});

	it('reads a started check with items left out as those items not yet levelled', () => {
		const { check, ok } = parseFirstVisit({ date: '2026-10-02' });
		expect(ok).toBe(true);
		expect(check?.nurseOnly).toBe(false);
		for (const item of RISK_ITEMS) expect(check?.findings[item]).toEqual({ level: null, note: '' });
	});

	it('flags a check that is not a map at all', () => {
		for (const raw of ['oui', 3, [], true])
			expect(parseFirstVisit(raw)).toEqual({ check: null, ok: false });
	});

	it('replaces each field that does not fit by a safe default and flags it', () => {
		const cases: Record<string, unknown>[] = [
			{ date: '2 octobre' },
			{ introducedBy: 12 },
			{ newCarerId: '' },
			{ nurseOnly: 'yes' },
			{ twoCarers: 1 },
			{ falls: 'high' },
			{ falls: { level: 'very high', note: '' } },
			{ falls: { level: 'high', note: 42 } }
		];
		for (const raw of cases) {
			const { check, ok } = parseFirstVisit(raw);
			expect(ok, JSON.stringify(raw)).toBe(false);
			expect(check).not.toBeNull();
			expect(check?.nurseOnly).toBe(false);
			expect(check?.twoCarers).toBe(false);
			expect(check?.date).toBeNull();
		}
		expect(
			parseFirstVisit({ falls: { level: 'very high', note: 'x' } }).check?.findings.falls
		).toEqual({ level: null, note: 'x' });
	});

	it('cuts a note longer than a thousand characters', () => {
		const { check } = parseFirstVisit({ access: { level: 'low', note: 'a'.repeat(5000) } });
		expect(check?.findings.access.note).toHaveLength(1000);
	});
});

describe('firstVisitStatus', () => {
	it('is missing when the card has no check or an empty one', () => {
		expect(firstVisitStatus(null)).toBe('missing');
		expect(firstVisitStatus(parseFirstVisit({}).check)).toBe('missing');
		expect(missingItems(null)).toEqual([...RISK_ITEMS]);
	});

	it('is incomplete once started but without a date or a level for every item', () => {
		const noDate = parseFirstVisit(allItems('none')).check;
		expect(firstVisitStatus(noDate)).toBe('incomplete');
		expect(missingItems(noDate)).toEqual([]);
		const twoLeft = parseFirstVisit({
			date: '2026-10-02',
			...allItems('low'),
			cognition: { level: null, note: 'à revoir avec la fille' },
			isolation: undefined
		}).check;
		expect(firstVisitStatus(twoLeft)).toBe('incomplete');
		expect(missingItems(twoLeft)).toEqual(['cognition', 'isolation']);
	});

	it('counts a note alone as a started check', () => {
		expect(
			firstVisitStatus(parseFirstVisit({ access: { level: null, note: 'digicode 1234' } }).check)
		).toBe('incomplete');
	});

	it('is complete with a date and a level for every item, "none" included', () => {
		const check = parseFirstVisit({ date: '2026-10-02', ...allItems('none') }).check;
		expect(firstVisitStatus(check)).toBe('complete');
	});
});

describe('restrictions', () => {
	it('restricts nothing without a check', () => {
		expect(assignmentRestrictions(null)).toEqual({ nurseOnly: false, twoCarers: false });
		expect(suggestedRestrictions(null)).toEqual({ nurseOnly: false, twoCarers: false });
	});

	it('restricts what the team ticked, whatever the findings', () => {
		const check = parseFirstVisit({ nurseOnly: true, ...allItems('none') }).check;
		expect(assignmentRestrictions(check)).toEqual({ nurseOnly: true, twoCarers: false });
		expect(suggestedRestrictions(check)).toEqual({ nurseOnly: false, twoCarers: false });
	});

	it('suggests nurse-only visits for a high medication risk and two carers for a high fall risk', () => {
		const check = parseFirstVisit({
			...allItems('medium'),
			medication: { level: 'high', note: '' },
			falls: { level: 'high', note: '' }
		}).check;
		expect(suggestedRestrictions(check)).toEqual({ nurseOnly: true, twoCarers: true });
		expect(assignmentRestrictions(check)).toEqual({ nurseOnly: false, twoCarers: false });
	});

	it('suggests nothing below a high risk', () => {
		expect(suggestedRestrictions(parseFirstVisit(allItems('medium')).check)).toEqual({
			nurseOnly: false,
			twoCarers: false
		});
	});
});
