import { describe, expect, it } from 'vitest';
import type { Absence } from '../../src/lib/domain/absences';
import {
	type RotaClient,
	type RotaMember,
	type Shift,
	type Visit
} from '../../src/lib/domain/rota';
import {
	checkRota,
	countByKind,
	type RotaContext,
	type RotaWarningKind
} from '../../src/lib/domain/rota-checks';
import { addDays, isoWeekMonday, isoWeekOf } from '../../src/lib/domain/week';

const MONDAY = '2026-11-30'; // ISO week 2026-W49
const day = (n: number) => addDays(MONDAY, n);
const h = (hours: number, minutes = 0) => hours * 60 + minutes;

const aicha: RotaMember = {
	id: 'aicha',
	name: 'Aïcha',
	profession: 'nurse',
	employment: 'salaried',
	contractMinutes: h(35)
};
const sophie: RotaMember = {
	id: 'sophie',
	name: 'Sophie',
	profession: 'care_aide',
	employment: 'salaried',
	contractMinutes: h(28)
};
const julien: RotaMember = {
	id: 'julien',
	name: 'Julien',
	profession: 'nurse',
	employment: 'self_employed',
	contractMinutes: 0
};
const client = (id: string, sector = 'Plateau', extra: Partial<RotaClient> = {}): RotaClient => ({
	id,
	name: id,
	sector,
	primaryCarerId: null,
	nurseOnly: false,
	twoCarers: false,
	refusedCarerIds: [],
	...extra
});

let n = 0;
const visit = (
	carerId: string | null,
	date: string,
	start: number,
	minutes = 30,
	extra: Partial<Visit> = {}
): Visit => ({
	id: `v${++n}`,
	clientId: 'roux',
	date,
	start,
	minutes,
	carerId,
	qualification: 'any',
	changedAt: null,
	...extra
});
const shift = (
	memberId: string,
	date: string,
	start: number,
	minutes: number,
	extra: Partial<Shift> = {}
): Shift => ({
	id: `s${++n}`,
	memberId,
	kind: 'office',
	date,
	start,
	minutes,
	changedAt: null,
	...extra
});

function run(partial: Partial<RotaContext>): RotaContext {
	return {
		monday: MONDAY,
		members: [aicha, sophie, julien],
		clients: [client('roux'), client('blanc', 'Pentes'), client('faure', 'Plateau')],
		absences: [],
		visits: [],
		shifts: [],
		maxCarersPerClient: 3,
		...partial
	};
}
const kinds = (ctx: RotaContext, only?: RotaWarningKind) =>
	checkRota(ctx)
		.filter((w) => only === undefined || w.kind === only)
		.map((w) => `${w.kind}:${w.memberId ?? w.clientId}`);

describe('ISO weeks', () => {
	it('finds the Monday of a week and the week of a date, across the year boundary', () => {
		expect(isoWeekMonday(2026, 49)).toBe('2026-11-30');
		expect(isoWeekMonday(2026, 1)).toBe('2025-12-29');
		expect(isoWeekOf('2027-01-03')).toEqual({ year: 2026, week: 53 });
		expect(isoWeekOf('2026-11-24')).toEqual({ year: 2026, week: 48 });
	});
});

describe('checkRota: two places at once', () => {
	it('flags overlapping visits of one carer, naming both blocks', () => {
		const a = visit('aicha', day(0), h(8), 60);
		const b = visit('aicha', day(0), h(8, 30), 30, { clientId: 'faure' });
		const [w] = checkRota(run({ visits: [a, b] })).filter((x) => x.kind === 'overlap');
		expect(w).toMatchObject({ memberId: 'aicha', itemIds: [a.id, b.id], date: day(0), hard: true });
	});

	it('needs travel time between two sectors, none within one', () => {
		const a = visit('aicha', day(0), h(8), 30); // Plateau, ends 8:30
		const samePlace = visit('aicha', day(0), h(8, 30), 30, { clientId: 'faure' }); // Plateau, 8:30
		expect(kinds(run({ visits: [a, samePlace] }), 'overlap')).toEqual([]);
		const elsewhere = visit('aicha', day(0), h(8, 40), 30, { clientId: 'blanc' }); // Pentes, 10 min later
		expect(kinds(run({ visits: [a, elsewhere] }), 'overlap')).toEqual(['overlap:aicha']);
		const later = visit('aicha', day(0), h(8, 45), 30, { clientId: 'blanc' });
		expect(kinds(run({ visits: [a, later] }), 'overlap')).toEqual([]);
	});

	it('sees a visit across midnight clash with one early the next day', () => {
		const night = visit('julien', day(2), h(23, 30), 60);
		const early = visit('julien', day(3), h(0, 15), 20);
		expect(kinds(run({ visits: [night, early] }), 'overlap')).toEqual(['overlap:julien']);
	});

	it('counts a shift like a visit', () => {
		const meeting = shift('sophie', day(1), h(13), 90, { kind: 'meeting' });
		expect(
			kinds(run({ visits: [visit('sophie', day(1), h(14), 30)], shifts: [meeting] }), 'overlap')
		).toEqual(['overlap:sophie']);
	});
});

describe('checkRota: the branch agreement (IDCC 2941), salaried members only', () => {
	it('flags less than 11 h of rest between two working days, and accepts exactly 11 h', () => {
		const evening = visit('aicha', day(1), h(20), 60); // ends 21:00
		const tooEarly = visit('aicha', day(2), h(7, 59), 30);
		const exactly = visit('aicha', day(2), h(8), 30);
		const rest = checkRota(run({ visits: [evening, tooEarly] })).filter((w) => w.kind === 'rest');
		expect(rest).toMatchObject([
			{ memberId: 'aicha', date: day(2), figure: h(10, 59), itemIds: [evening.id, tooEarly.id] }
		]);
		expect(kinds(run({ visits: [evening, exactly] }), 'rest')).toEqual([]);
	});

	it('counts a visit across midnight into the rest before the next day', () => {
		const late = visit('aicha', day(1), h(23, 30), 60); // ends 00:30 on day 2
		expect(kinds(run({ visits: [late, visit('aicha', day(2), h(11), 30)] }), 'rest')).toEqual([
			'rest:aicha'
		]);
		expect(kinds(run({ visits: [late, visit('aicha', day(2), h(11, 30), 30)] }), 'rest')).toEqual(
			[]
		);
	});

	it('does not bind a self-employed nurse', () => {
		const ctx = run({
			visits: [visit('julien', day(1), h(21), 60), visit('julien', day(2), h(6), 30)]
		});
		expect(kinds(ctx, 'rest')).toEqual([]);
	});

	it('flags a seventh working day in a row, counting the week before', () => {
		const previous = {
			visits: [4, 5, 6].map((d) => visit('sophie', addDays(MONDAY, d - 7), h(9))),
			shifts: []
		};
		const week = [0, 1, 2, 3].map((d) => visit('sophie', day(d), h(9)));
		const warnings = checkRota(run({ visits: week, previous })).filter(
			(w) => w.kind === 'days-in-row'
		);
		expect(warnings).toMatchObject([{ memberId: 'sophie', date: day(3), figure: 7 }]);
		expect(kinds(run({ visits: week.slice(0, 3), previous }), 'days-in-row')).toEqual([]);
	});

	it('asks for four rest days in the fortnight, one of them a Sunday', () => {
		// Works every day but Sunday for two weeks: only two rest days.
		const both = (d: number) => [
			visit('aicha', addDays(MONDAY, d - 7), h(9)),
			visit('aicha', day(d), h(9))
		];
		const sixDays = [0, 1, 2, 3, 4, 5].flatMap(both);
		const previous = { visits: sixDays.filter((v) => v.date < MONDAY), shifts: [] };
		const visits = sixDays.filter((v) => v.date >= MONDAY);
		expect(
			checkRota(run({ visits, previous })).filter((w) => w.kind === 'fortnight-rest')
		).toMatchObject([{ memberId: 'aicha', figure: 2 }]);
		// Four days off but every Sunday worked.
		const noSunday = [0, 1, 2, 4, 6].flatMap(both);
		expect(
			kinds(
				run({
					visits: noSunday.filter((v) => v.date >= MONDAY),
					previous: { visits: noSunday.filter((v) => v.date < MONDAY), shifts: [] }
				}),
				'fortnight-rest'
			)
		).toEqual(['fortnight-rest:aicha']);
		// Without the week before, the rule cannot be judged and says nothing.
		expect(kinds(run({ visits }), 'fortnight-rest')).toEqual([]);
	});

	it('flags a schedule changed less than seven days ahead', () => {
		const late = visit('aicha', day(3), h(9), 30, { changedAt: `${day(-3)}T10:00:00Z` }); // 6 days ahead
		const inTime = visit('aicha', day(4), h(9), 30, { changedAt: `${day(-3)}T10:00:00Z` }); // 7 days ahead
		expect(
			checkRota(run({ visits: [late, inTime] })).filter((w) => w.kind === 'late-change')
		).toMatchObject([{ itemIds: [late.id], figure: 6 }]);
	});
});

describe('checkRota: the team’s rules', () => {
	it('flags hours over the contract, and far under it unless the member is away', () => {
		const long = [0, 1, 2, 3, 4].map((d) => visit('sophie', day(d), h(8), h(6)));
		expect(checkRota(run({ visits: long })).find((w) => w.kind === 'over-contract')).toMatchObject({
			memberId: 'sophie',
			figure: h(30)
		});
		expect(kinds(run({ visits: [visit('aicha', day(0), h(8), 60)] }), 'under-contract')).toContain(
			'under-contract:aicha'
		);
		const away: Absence = {
			id: 'a',
			memberId: 'aicha',
			kind: 'leave',
			from: day(2),
			to: day(6),
			note: ''
		};
		expect(
			kinds(run({ visits: [visit('aicha', day(0), h(8), 60)], absences: [away] }), 'under-contract')
		).not.toContain('under-contract:aicha');
	});

	it('flags a nurse-only act given to a care aide, and a client made nurse-only by the first visit', () => {
		expect(
			kinds(
				run({ visits: [visit('sophie', day(0), h(8), 30, { qualification: 'nurse' })] }),
				'qualification'
			)
		).toEqual(['qualification:sophie']);
		const nurseOnly = run({
			clients: [client('roux', 'Plateau', { nurseOnly: true })],
			visits: [visit('sophie', day(0), h(8))]
		});
		expect(kinds(nurseOnly, 'qualification')).toEqual(['qualification:sophie']);
		expect(
			kinds(
				run({ visits: [visit('aicha', day(0), h(8), 30, { qualification: 'care_aide' })] }),
				'qualification'
			)
		).toEqual([]);
	});

	it('flags a visit during an absence ending mid-day, but not one after it ends', () => {
		// A training on Tuesday until 12:00: the morning visit clashes, the afternoon one does not.
		const absences: Absence[] = [
			{
				id: 'a',
				memberId: 'aicha',
				kind: 'training',
				from: day(1),
				to: day(1),
				note: '',
				endsAt: h(12)
			}
		];
		const morning = visit('aicha', day(1), h(11, 30), 45);
		const afternoon = visit('aicha', day(1), h(12), 30);
		expect(
			checkRota(run({ absences, visits: [morning, afternoon] }))
				.filter((w) => w.kind === 'absence')
				.map((w) => w.itemIds[0])
		).toEqual([morning.id]);
		// And a sickness starting at 14:00 leaves the morning free.
		const sick: Absence[] = [
			{
				id: 's',
				memberId: 'aicha',
				kind: 'sickness',
				from: day(2),
				to: day(4),
				note: '',
				startsAt: h(14)
			}
		];
		const before = visit('aicha', day(2), h(9), 30);
		const during = visit('aicha', day(3), h(9), 30);
		expect(
			checkRota(run({ absences: sick, visits: [before, during] }))
				.filter((w) => w.kind === 'absence')
				.map((w) => w.itemIds[0])
		).toEqual([during.id]);
	});

	it('flags a visit during the carer’s absence, including an absence ending that day', () => {
		const absences: Absence[] = [
			{ id: 'a', memberId: 'aicha', kind: 'sickness', from: day(-2), to: day(1), note: '' }
		];
		const ctx = run({
			absences,
			visits: [visit('aicha', day(1), h(17)), visit('aicha', day(2), h(8))]
		});
		expect(
			checkRota(ctx)
				.filter((w) => w.kind === 'absence')
				.map((w) => w.date)
		).toEqual([day(1)]);
	});

	it('flags a carer the client asked not to see, and unassigned visits', () => {
		const ctx = run({
			clients: [client('roux', 'Plateau', { refusedCarerIds: ['sophie'] })],
			visits: [visit('sophie', day(0), h(8)), visit(null, day(1), h(8))]
		});
		expect(kinds(ctx, 'refused')).toEqual(['refused:sophie']);
		expect(kinds(ctx, 'unassigned')).toEqual(['unassigned:roux']);
	});

	it('flags more than three different carers for one client in the week', () => {
		const team = [aicha, sophie, julien, { ...aicha, id: 'thomas' }];
		const three = ['aicha', 'sophie', 'julien'].map((c, d) => visit(c, day(d), h(8)));
		expect(kinds(run({ members: team, visits: three }), 'continuity')).toEqual([]);
		const four = [...three, visit('thomas', day(4), h(8))];
		expect(
			checkRota(run({ members: team, visits: four })).find((w) => w.kind === 'continuity')
		).toMatchObject({ clientId: 'roux', figure: 4 });
	});

	it('flags a two-carer client visited by one person', () => {
		const clients = [client('roux', 'Plateau', { twoCarers: true })];
		const alone = [visit('aicha', day(0), h(8)), visit(null, day(0), h(8))];
		expect(kinds(run({ clients, visits: alone }), 'two-carers')).toEqual(['two-carers:roux']);
		const both = [visit('aicha', day(0), h(8)), visit('sophie', day(0), h(8))];
		expect(kinds(run({ clients, visits: both }), 'two-carers')).toEqual([]);
	});

	it('counts warnings by kind for the summary bar, and finds nothing in an empty week', () => {
		const ctx = run({ visits: [visit(null, day(0), h(8)), visit(null, day(1), h(8))] });
		expect(countByKind(checkRota(ctx)).unassigned).toBe(2);
		expect(checkRota(run({ members: [julien] }))).toEqual([]);
	});
});
