import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	acceptSuggestions,
	offerVisit,
	putVisit,
	readWeek,
	splitVisit,
	takeIfAllowed,
	updateVisit
} from '../../src/lib/collab/rota';
import type { RotaClient, RotaMember, Shift, Visit } from '../../src/lib/domain/rota';
import {
	plannedMinutes,
	recentVisits,
	splitVisit as splitInTwo,
	weekDays
} from '../../src/lib/domain/rota-week';

const member = (id: string, profession: RotaMember['profession']): RotaMember => ({
	id,
	name: id,
	profession,
	employment: 'salaried',
	contractMinutes: 2100
});
const roux: RotaClient = {
	id: 'roux',
	name: 'Mme Roux',
	sector: 'Plateau',
	primaryCarerId: null,
	nurseOnly: false,
	twoCarers: false,
	refusedCarerIds: []
};
const visit = (partial: Partial<Visit> = {}): Visit => ({
	id: 'v1',
	clientId: 'roux',
	date: '2026-12-02',
	start: 8 * 60,
	minutes: 45,
	carerId: 'aicha',
	qualification: 'any',
	changedAt: null,
	offer: null,
	...partial
});
const shift: Shift = {
	id: 's1',
	memberId: 'aicha',
	date: '2026-12-03',
	start: 13 * 60,
	minutes: 60,
	kind: 'office',
	changedAt: null
};

describe('the week page helpers', () => {
	it('lists the seven days from Monday, across a month end', () => {
		expect(weekDays('2026-11-30')).toEqual([
			'2026-11-30',
			'2026-12-01',
			'2026-12-02',
			'2026-12-03',
			'2026-12-04',
			'2026-12-05',
			'2026-12-06'
		]);
	});

	it("counts a member's visits and shifts, and nobody else's", () => {
		const week = {
			visits: [visit(), visit({ id: 'v2', minutes: 30 }), visit({ id: 'v3', carerId: 'sophie' })],
			shifts: [shift]
		};
		expect(plannedMinutes(week, 'aicha')).toBe(45 + 30 + 60);
		expect(plannedMinutes(week, 'sophie')).toBe(45);
		expect(plannedMinutes(week, 'julien')).toBe(0);
	});

	it('cuts a visit at its middle, the second half a new visit that is not offered', () => {
		const offered = visit({ offer: { by: 'aicha', at: '2026-11-28T10:00:00Z' } });
		const [first, second] = splitInTwo(offered, 'v9');
		expect(first).toEqual({ ...offered, minutes: 22 });
		expect(second).toEqual({ ...offered, id: 'v9', start: 8 * 60 + 22, minutes: 23, offer: null });
	});

	it('reads the recent visits per client back from their JSON pairs', () => {
		const recent = recentVisits([
			[
				'roux',
				[
					['aicha', 3],
					['sophie', 1]
				]
			],
			['petit', []]
		]);
		expect(recent.get('roux')?.get('aicha')).toBe(3);
		expect(recent.get('roux')?.get('sophie')).toBe(1);
		expect(recent.get('petit')?.size).toBe(0);
	});
});

describe('the week document, as the page changes it', () => {
	it('splits a visit into two in one transaction', () => {
		const doc = new Y.Doc();
		putVisit(doc, visit());
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		expect(splitVisit(doc, 'v1', 'v2')).toBe(true);
		expect(transactions).toBe(1);
		expect(readWeek(doc).visits.map((v) => [v.id, v.start, v.minutes])).toEqual([
			['v1', 480, 22],
			['v2', 502, 23]
		]);
		expect(splitVisit(doc, 'missing', 'v3')).toBe(false);
	});

	it('undoes accepted suggestions, except a visit someone changed since', () => {
		const doc = new Y.Doc();
		putVisit(doc, visit({ carerId: null }));
		putVisit(doc, visit({ id: 'v2', carerId: null, start: 10 * 60 }));
		const undo = acceptSuggestions(doc, [
			{ visitId: 'v1', carerId: 'aicha' },
			{ visitId: 'v2', carerId: 'sophie' }
		]);
		expect(readWeek(doc).visits.map((v) => v.carerId)).toEqual(['aicha', 'sophie']);
		updateVisit(doc, 'v2', { minutes: 60 });
		undo();
		const after = readWeek(doc).visits;
		expect(after.map((v) => v.carerId)).toEqual([null, 'sophie']);
		expect(after[1]?.minutes).toBe(60);
	});

	it('takes an offered visit only when the taker may, and says why not', () => {
		const doc = new Y.Doc();
		putVisit(doc, visit({ carerId: 'aicha', start: 15 * 60 }));
		offerVisit(doc, 'v1', 'aicha', new Date('2026-11-28T10:00:00Z'));
		const ctx = {
			monday: '2026-11-30',
			members: [member('aicha', 'nurse'), member('sophie', 'care_aide')],
			clients: [roux],
			absences: [],
			notice: { kind: 'before' as const, minutes: 120 }
		};
		const late = takeIfAllowed(doc, ctx, {
			visitId: 'v1',
			takerId: 'sophie',
			now: new Date('2026-12-02T13:30:00Z')
		});
		expect(late).toEqual({ ok: false, reason: 'too-late' });
		expect(readWeek(doc).visits[0]?.carerId).toBe('aicha');
		const inTime = takeIfAllowed(doc, ctx, {
			visitId: 'v1',
			takerId: 'sophie',
			now: new Date('2026-12-01T12:00:00Z')
		});
		expect(inTime).toEqual({ ok: true });
		expect(readWeek(doc).visits[0]).toMatchObject({ carerId: 'sophie', offer: null });
		expect(takeIfAllowed(doc, ctx, { visitId: 'nope', takerId: 'sophie' })).toEqual({
			ok: false,
			reason: 'not-offered'
		});
	});
});
