import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	offerVisit,
	putVisit,
	readWeek,
	takeVisit,
	withdrawOffer
} from '../../src/lib/collab/rota';
import type { RotaClient, RotaMember, Visit } from '../../src/lib/domain/rota';
import { canTake, type SwapContext } from '../../src/lib/domain/rota-swap';

const MONDAY = '2026-11-30';
const aicha: RotaMember = {
	id: 'aicha',
	name: 'Aïcha',
	profession: 'nurse',
	employment: 'salaried',
	contractMinutes: 2100
};
const sophie: RotaMember = {
	id: 'sophie',
	name: 'Sophie',
	profession: 'care_aide',
	employment: 'salaried',
	contractMinutes: 1680
};
const julien: RotaMember = {
	id: 'julien',
	name: 'Julien',
	profession: 'nurse',
	employment: 'self_employed',
	contractMinutes: 0
};
const roux: RotaClient = {
	id: 'roux',
	name: 'Mme Roux',
	sector: 'Plateau',
	primaryCarerId: null,
	nurseOnly: false,
	twoCarers: false,
	refusedCarerIds: []
};
const visit: Visit = {
	id: 'v1',
	clientId: 'roux',
	date: '2026-12-02',
	start: 8 * 60,
	minutes: 30,
	carerId: 'aicha',
	qualification: 'any',
	changedAt: null,
	offer: { by: 'aicha', at: '2026-11-28T10:00:00Z' }
};
const before = new Date('2026-12-01T12:00:00Z');

const ctx = (partial: Partial<SwapContext> = {}): SwapContext => ({
	monday: MONDAY,
	members: [aicha, sophie, julien],
	clients: [roux],
	absences: [],
	visits: [visit],
	shifts: [],
	notice: { kind: 'before', minutes: 120 },
	...partial
});

describe('canTake', () => {
	it('lets a free, qualified colleague take an offered visit', () => {
		expect(canTake(ctx(), { visit, takerId: 'sophie', now: before })).toEqual({ ok: true });
	});

	it('refuses what was not offered, one’s own visit, and a swap past the team’s notice', () => {
		expect(
			canTake(ctx(), { visit: { ...visit, offer: null }, takerId: 'sophie', now: before })
		).toEqual({ ok: false, reason: 'not-offered' });
		expect(canTake(ctx(), { visit, takerId: 'aicha', now: before })).toEqual({
			ok: false,
			reason: 'own-visit'
		});
		// 8:00 Paris on 2 December is 7:00 UTC: at 5:30 UTC it is 1 h 30 before, under the 2 h rule.
		expect(
			canTake(ctx(), { visit, takerId: 'sophie', now: new Date('2026-12-02T05:30:00Z') })
		).toEqual({ ok: false, reason: 'too-late' });
		expect(
			canTake(ctx({ notice: { kind: 'before', minutes: 60 } }), {
				visit,
				takerId: 'sophie',
				now: new Date('2026-12-02T05:30:00Z')
			})
		).toEqual({ ok: true });
		// "Until 18:00 the day before": 17:59 Paris on 1 December (16:59 UTC) is in time, 18:01 is not.
		const dayBefore = ctx({ notice: { kind: 'day-before', at: 18 * 60 } });
		expect(
			canTake(dayBefore, { visit, takerId: 'sophie', now: new Date('2026-12-01T16:59:00Z') })
		).toEqual({ ok: true });
		expect(
			canTake(dayBefore, { visit, takerId: 'sophie', now: new Date('2026-12-01T17:01:00Z') })
		).toEqual({ ok: false, reason: 'too-late' });
	});

	it('refuses a taker who would break a rule: qualification, absence, the client’s refusal, another visit', () => {
		const nurseVisit = { ...visit, qualification: 'nurse' as const };
		expect(
			canTake(ctx({ visits: [nurseVisit] }), { visit: nurseVisit, takerId: 'sophie', now: before })
		).toEqual({ ok: false, reason: 'qualification', needs: 'nurse' });
		const away = [
			{
				id: 'a',
				memberId: 'sophie',
				kind: 'leave' as const,
				from: '2026-12-01',
				to: '2026-12-03',
				note: ''
			}
		];
		expect(canTake(ctx({ absences: away }), { visit, takerId: 'sophie', now: before })).toEqual({
			ok: false,
			reason: 'absent'
		});
		const refusing = { ...roux, refusedCarerIds: ['sophie'] };
		expect(
			canTake(ctx({ clients: [refusing] }), { visit, takerId: 'sophie', now: before })
		).toEqual({ ok: false, reason: 'refused-by-client' });
		const busy: Visit = { ...visit, id: 'v2', clientId: 'other', carerId: 'julien', offer: null };
		expect(
			canTake(ctx({ visits: [visit, busy] }), { visit, takerId: 'julien', now: before })
		).toEqual({ ok: false, reason: 'overlap' });
	});
});

describe('offering and taking in the document', () => {
	it('offers, withdraws, and hands a visit over in one step', () => {
		const doc = new Y.Doc();
		putVisit(doc, { ...visit, offer: null });
		expect(offerVisit(doc, 'v1', 'sophie')).toBe(false); // only its carer offers it
		expect(offerVisit(doc, 'v1', 'aicha', before)).toBe(true);
		expect(readWeek(doc).visits[0]?.offer).toEqual({ by: 'aicha', at: before.toISOString() });
		withdrawOffer(doc, 'v1');
		expect(takeVisit(doc, 'v1', 'sophie')).toBe(false);
		offerVisit(doc, 'v1', 'aicha', before);
		expect(takeVisit(doc, 'v1', 'sophie', before)).toBe(true);
		expect(readWeek(doc).visits[0]).toMatchObject({
			carerId: 'sophie',
			offer: null,
			changedAt: before.toISOString()
		});
	});
});
