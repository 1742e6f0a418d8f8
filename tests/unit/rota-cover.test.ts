import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	markToCover,
	putVisit,
	readWeek,
	takeVisit,
	visitDeletion,
	visitsMap
} from '../../src/lib/collab/rota';
import type { RotaMember, Visit } from '../../src/lib/domain/rota';
import { sickFromNow, stillToCover, toCover, visitsToCover } from '../../src/lib/domain/rota-cover';
import { suggestAssignments, type PatternClient } from '../../src/lib/domain/rota-plan';
import { canTake, takeable, type SwapContext } from '../../src/lib/domain/rota-swap';
import { instantToWallClock } from '../../src/lib/domain/time-zone';

// Same-day re-planning and swaps, the pure rules: a sick call from now, the visits it puts to
// cover, who may take one (and why not, by rule), the suggestion's reasons, and an undo of a
// deletion that touches nobody else's edits.

const MONDAY = '2026-11-30';
const member = (id: string, profession: RotaMember['profession'], contract = 2100): RotaMember => ({
	id,
	name: id,
	profession,
	employment: 'salaried',
	contractMinutes: contract
});
const aicha = member('aicha', 'nurse');
const sophie = member('sophie', 'care_aide', 1680);
const marc = member('marc', 'nurse');
const roux: PatternClient = {
	active: true,
	visitPattern: [],
	id: 'roux',
	name: 'Mme Roux',
	sector: 'Plateau',
	primaryCarerId: 'marc',
	nurseOnly: false,
	twoCarers: false,
	refusedCarerIds: []
};
const visit = (id: string, date: string, start: number, carerId: string | null): Visit => ({
	id,
	clientId: 'roux',
	date,
	start,
	minutes: 30,
	carerId,
	qualification: 'any',
	changedAt: null,
	offer: null,
	cover: null
});
// Wednesday 2 December 2026, 10:00 in Paris (09:00 UTC).
const NOW = new Date('2026-12-02T09:00:00Z');

const ctx = (
	visits: Visit[],
	partial: Partial<Omit<SwapContext, 'clients'>> = {}
): SwapContext & { clients: PatternClient[] } => ({
	monday: MONDAY,
	members: [aicha, sophie, marc],
	clients: [roux],
	absences: [],
	visits,
	shifts: [],
	notice: { kind: 'before', minutes: 120 },
	...partial
});

describe('a sick call from now', () => {
	it('starts now in Paris time and runs to the end of the chosen day', () => {
		expect(instantToWallClock(NOW)).toEqual({ date: '2026-12-02', minutes: 600 });
		expect(sickFromNow('aicha', NOW, 0)).toEqual({
			memberId: 'aicha',
			kind: 'sickness',
			from: '2026-12-02',
			to: '2026-12-02',
			startsAt: 600,
			endsAt: null
		});
		expect(sickFromNow('aicha', NOW, 1).to).toBe('2026-12-03');
		// Never longer than two weeks, never backwards.
		expect(sickFromNow('aicha', NOW, 99).to).toBe('2026-12-15');
		expect(sickFromNow('aicha', NOW, -3).to).toBe('2026-12-02');
	});

	it('puts to cover the visits not started yet, theirs only, remembering whose they were', () => {
		const visits = [
			visit('early', '2026-12-02', 8 * 60, 'aicha'), // done before the call
			visit('running', '2026-12-02', 9 * 60 + 45, 'aicha'), // under way at 10:00
			visit('later', '2026-12-02', 14 * 60, 'aicha'),
			visit('tomorrow', '2026-12-03', 8 * 60, 'aicha'),
			visit('colleague', '2026-12-02', 15 * 60, 'sophie')
		];
		const absence = sickFromNow('aicha', NOW, 0);
		expect(visitsToCover(visits, absence, NOW).map((v) => v.id)).toEqual(['later']);
		const untilTomorrow = sickFromNow('aicha', NOW, 1);
		const covered = visitsToCover(visits, untilTomorrow, NOW);
		expect(covered.map((v) => v.id)).toEqual(['later', 'tomorrow']);
		expect(toCover(covered[0]!, NOW)).toMatchObject({
			carerId: null,
			offer: null,
			cover: { from: 'aicha', at: NOW.toISOString() }
		});
	});

	it('marks them in the document in one step, skipping a visit someone changed meanwhile', () => {
		const doc = new Y.Doc();
		putVisit(doc, visit('a', '2026-12-02', 14 * 60, 'aicha'));
		putVisit(doc, visit('b', '2026-12-02', 16 * 60, 'aicha'));
		const seen = readWeek(doc).visits;
		putVisit(doc, { ...seen[1]!, carerId: 'marc' }); // moved by a colleague before the mark
		let transactions = 0;
		doc.on('afterTransaction', () => transactions++);
		expect(markToCover(doc, seen, NOW)).toBe(1);
		expect(transactions).toBe(1);
		const after = readWeek(doc).visits;
		expect(after.map((v) => [v.id, v.carerId, v.cover?.from ?? null])).toEqual([
			['a', null, 'aicha'],
			['b', 'marc', null]
		]);
		expect(stillToCover(after, '2026-12-02').map((v) => v.id)).toEqual(['a']);
	});
});

describe('taking a visit to cover', () => {
	const sick = { ...sickFromNow('aicha', NOW, 0), id: 's', note: '' };
	const open = toCover(visit('later', '2026-12-02', 14 * 60, 'aicha'), NOW);

	it('is open to a colleague who fits, with no swap notice, not to the sick carer', () => {
		expect(takeable(open)).toBe('to-cover');
		const c = ctx([open], { absences: [sick], notice: { kind: 'before', minutes: 48 * 60 } });
		expect(canTake(c, { visit: open, takerId: 'marc', now: NOW })).toEqual({ ok: true });
		expect(canTake(c, { visit: open, takerId: 'aicha', now: NOW })).toEqual({
			ok: false,
			reason: 'own-visit'
		});
		// Too late once it has started.
		expect(
			canTake(c, { visit: open, takerId: 'marc', now: new Date('2026-12-02T13:05:00Z') })
		).toEqual({ ok: false, reason: 'started' });
	});

	it('says which rule a colleague would break: a nurse-only act, 11 h of rest', () => {
		const nurseOnly = { ...open, qualification: 'nurse' as const };
		expect(canTake(ctx([nurseOnly]), { visit: nurseOnly, takerId: 'sophie', now: NOW })).toEqual({
			ok: false,
			reason: 'qualification',
			needs: 'nurse'
		});
		// Marc works until 23:00 on Tuesday: an 8:00 visit on Wednesday leaves him 9 h of rest.
		const early = toCover(visit('early', '2026-12-03', 8 * 60, 'aicha'), NOW);
		const lateShift = {
			id: 'sh',
			memberId: 'marc',
			kind: 'office' as const,
			date: '2026-12-02',
			start: 20 * 60,
			minutes: 180,
			changedAt: null
		};
		expect(
			canTake(ctx([early], { shifts: [lateShift] }), { visit: early, takerId: 'marc', now: NOW })
		).toEqual({ ok: false, reason: 'rest' });
	});

	it('hands it over once: the second taker finds it taken', () => {
		const doc = new Y.Doc();
		putVisit(doc, open);
		expect(takeVisit(doc, 'later', 'marc', NOW)).toBe(true);
		expect(readWeek(doc).visits[0]).toMatchObject({ carerId: 'marc', cover: null, offer: null });
		expect(takeVisit(doc, 'later', 'sophie', NOW)).toBe(false);
	});

	it('suggests a replacement with its reasons: continuity and hours under contract', () => {
		const [s] = suggestAssignments(ctx([open], { absences: [sick] }));
		expect(s).toMatchObject({ visitId: 'later', carerId: 'marc' });
		expect(s!.why).toMatchObject({ primary: true, minutesLeft: 2100 - 30, sameSector: false });
	});
});

describe('deleting a visit', () => {
	it('can be undone, putting back only the deleted visit and keeping a colleague’s edits', () => {
		const mine = new Y.Doc();
		const theirs = new Y.Doc();
		mine.on('update', (u: Uint8Array, origin: unknown) => {
			if (origin !== 'remote') Y.applyUpdate(theirs, u, 'remote');
		});
		theirs.on('update', (u: Uint8Array, origin: unknown) => {
			if (origin !== 'remote') Y.applyUpdate(mine, u, 'remote');
		});
		putVisit(mine, visit('a', '2026-12-02', 14 * 60, 'aicha'));
		putVisit(mine, visit('b', '2026-12-02', 16 * 60, 'aicha'));
		const deletion = visitDeletion(mine);
		putVisit(mine, visit('c', '2026-12-02', 17 * 60, 'aicha')); // not a deletion: not undone
		deletion.remove('a');
		putVisit(theirs, { ...visit('b', '2026-12-02', 16 * 60, 'aicha'), carerId: 'marc' });
		expect(visitsMap(theirs).has('a')).toBe(false);
		expect(deletion.undo()).toBe(true);
		const ids = readWeek(theirs).visits.map((v) => [v.id, v.carerId]);
		expect(ids).toEqual([
			['a', 'aicha'],
			['b', 'marc'],
			['c', 'aicha']
		]);
		expect(deletion.undo()).toBe(false);
		deletion.destroy();
	});
});
