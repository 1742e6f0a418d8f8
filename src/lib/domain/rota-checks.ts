import { overlapsWork, type Absence } from './absences';
import {
	interval,
	neededQualification,
	qualifies,
	type RotaClient,
	type RotaMember,
	type Shift,
	type Visit
} from './rota';
import { addDays, daysBetween, weekdayOf } from './week';

/**
 * The rota's checks, run in the browser on every change and on the server for the health figures.
 * Each warning says what and who, and names the blocks (visits, shifts) it is about.
 *
 * Hard warnings break a rule (nobody may be in two places at once, an aide may not do a nurse's
 * act, a salaried carer has 11 h of rest…); soft ones are the team's to weigh (hours against the
 * contract, continuity of care, a visit still unassigned).
 */
export const RULES = {
	/** IDCC 2941: minimum rest between two working days. */
	minRestMinutes: 11 * 60,
	/** IDCC 2941: at most six working days in a row. */
	maxDaysInRow: 6,
	/** IDCC 2941: at least four rest days in a fortnight, one of them a Sunday. */
	minRestDaysInFortnight: 4,
	/** IDCC 2941: a schedule is announced at least seven days ahead. */
	minNoticeDays: 7,
	/** Far under the contract: below this share of it. */
	underContractShare: 1 / 3,
	/** Travel between two different sectors, in minutes, unless the team says otherwise. */
	travelBetweenSectors: 15
} as const;

export type RotaWarningKind =
	| 'overlap'
	| 'rest'
	| 'days-in-row'
	| 'fortnight-rest'
	| 'late-change'
	| 'over-contract'
	| 'under-contract'
	| 'qualification'
	| 'absence'
	| 'refused'
	| 'two-carers'
	| 'unassigned'
	| 'continuity';

export const HARD_KINDS: ReadonlySet<RotaWarningKind> = new Set([
	'overlap',
	'rest',
	'days-in-row',
	'fortnight-rest',
	'qualification',
	'absence',
	'refused'
]);

export interface RotaWarning {
	kind: RotaWarningKind;
	hard: boolean;
	memberId: string | null;
	clientId: string | null;
	/** The visits and shifts it is about, to link to their blocks. */
	itemIds: string[];
	/** The day it is about ('YYYY-MM-DD'), when there is one. */
	date: string | null;
	/** Figures for the sentence: minutes of rest, hours worked, number of carers… */
	figure: number | null;
	/** The team's limit it went past, when the rule is the team's own (continuity). */
	limit?: number;
}

export interface RotaContext {
	/** Monday of the week checked. */
	monday: string;
	members: readonly RotaMember[];
	clients: readonly RotaClient[];
	absences: readonly Absence[];
	visits: readonly Visit[];
	shifts: readonly Shift[];
	/** The week before, for rest, days in a row and the fortnight rules. */
	previous?: { visits: readonly Visit[]; shifts: readonly Shift[] };
	/**
	 * The team's rule (team-rules.ts): more different carers than this for one client in a week is
	 * flagged (continuity of care). Without it (the health figures), continuity is not checked here.
	 */
	maxCarersPerClient?: number;
	/** Minutes to travel between two sectors (default: 0 within one, RULES.travelBetweenSectors across). */
	travel?: (from: string, to: string) => number;
}

interface WorkItem {
	id: string;
	date: string;
	from: number;
	to: number;
	sector: string;
	thisWeek: boolean;
}

const warning = (w: Omit<RotaWarning, 'hard'>): RotaWarning => ({
	...w,
	hard: HARD_KINDS.has(w.kind)
});

function defaultTravel(from: string, to: string): number {
	return from === '' || to === '' || from === to ? 0 : RULES.travelBetweenSectors;
}

/** Every check on one week. Pure; about 1 ms for a 12-member week of 400 visits. */
export function checkRota(ctx: RotaContext): RotaWarning[] {
	const out: RotaWarning[] = [];
	const clients = new Map(ctx.clients.map((c) => [c.id, c]));
	const travel = ctx.travel ?? defaultTravel;
	const lastDay = addDays(ctx.monday, 6);
	const inWeek = (date: string) => date >= ctx.monday && date <= lastDay;

	// Each member's work, this week and the one before, in time order.
	const work = new Map<string, WorkItem[]>();
	const push = (memberId: string, item: WorkItem) => {
		const list = work.get(memberId);
		if (list === undefined) work.set(memberId, [item]);
		else list.push(item);
	};
	const addItems = (visits: readonly Visit[], shifts: readonly Shift[], thisWeek: boolean) => {
		for (const v of visits) {
			if (v.carerId === null) continue;
			const [from, to] = interval(v, ctx.monday);
			push(v.carerId, {
				id: v.id,
				date: v.date,
				from,
				to,
				sector: clients.get(v.clientId)?.sector ?? '',
				thisWeek
			});
		}
		for (const s of shifts) {
			const [from, to] = interval(s, ctx.monday);
			push(s.memberId, { id: s.id, date: s.date, from, to, sector: '', thisWeek });
		}
	};
	addItems(ctx.visits, ctx.shifts, true);
	if (ctx.previous !== undefined) addItems(ctx.previous.visits, ctx.previous.shifts, false);

	for (const member of ctx.members) {
		const items = (work.get(member.id) ?? []).sort((a, b) => a.from - b.from || a.to - b.to);
		checkOverlaps(member, items, travel, out);
		const weekMinutes = items
			.filter((i) => i.thisWeek)
			.reduce((sum, i) => sum + (i.to - i.from), 0);
		if (member.contractMinutes > 0 && weekMinutes > member.contractMinutes) {
			out.push(
				warning({
					kind: 'over-contract',
					memberId: member.id,
					clientId: null,
					itemIds: [],
					date: null,
					figure: weekMinutes
				})
			);
		} else if (
			member.contractMinutes > 0 &&
			weekMinutes < member.contractMinutes * RULES.underContractShare &&
			!ctx.absences.some((a) => a.memberId === member.id && a.to >= ctx.monday && a.from <= lastDay)
		) {
			out.push(
				warning({
					kind: 'under-contract',
					memberId: member.id,
					clientId: null,
					itemIds: [],
					date: null,
					figure: weekMinutes
				})
			);
		}
		for (const item of items) {
			if (!item.thisWeek) continue;
			const absence = ctx.absences.find(
				(a) =>
					a.memberId === member.id &&
					overlapsWork(
						a,
						item.date,
						item.from - daysBetween(ctx.monday, item.date) * 24 * 60,
						item.to - item.from
					)
			);
			if (absence !== undefined) {
				out.push(
					warning({
						kind: 'absence',
						memberId: member.id,
						clientId: null,
						itemIds: [item.id],
						date: item.date,
						figure: null
					})
				);
			}
		}
		if (member.employment === 'salaried') checkWorkingTime(member, items, ctx, inWeek, out);
	}

	const members = new Map(ctx.members.map((m) => [m.id, m]));
	const carersOf = new Map<string, Set<string>>();
	const slots = new Map<string, Visit[]>();
	for (const v of ctx.visits) {
		const client = clients.get(v.clientId);
		if (client?.twoCarers === true) {
			const key = `${v.clientId}|${v.date}|${v.start}`;
			slots.set(key, [...(slots.get(key) ?? []), v]);
		}
		if (v.carerId === null) {
			out.push(
				warning({
					kind: 'unassigned',
					memberId: null,
					clientId: v.clientId,
					itemIds: [v.id],
					date: v.date,
					figure: null
				})
			);
			continue;
		}
		const set = carersOf.get(v.clientId) ?? new Set<string>();
		set.add(v.carerId);
		carersOf.set(v.clientId, set);
		const member = members.get(v.carerId);
		if (member !== undefined && !qualifies(member.profession, neededQualification(v, client))) {
			out.push(
				warning({
					kind: 'qualification',
					memberId: member.id,
					clientId: v.clientId,
					itemIds: [v.id],
					date: v.date,
					figure: null
				})
			);
		}
		if (client?.refusedCarerIds.includes(v.carerId) === true) {
			out.push(
				warning({
					kind: 'refused',
					memberId: v.carerId,
					clientId: v.clientId,
					itemIds: [v.id],
					date: v.date,
					figure: null
				})
			);
		}
	}
	for (const [clientId, carers] of carersOf) {
		if (ctx.maxCarersPerClient !== undefined && carers.size > ctx.maxCarersPerClient) {
			const itemIds = ctx.visits
				.filter((v) => v.clientId === clientId && v.carerId !== null)
				.map((v) => v.id);
			out.push(
				warning({
					kind: 'continuity',
					memberId: null,
					clientId,
					itemIds,
					date: null,
					figure: carers.size,
					limit: ctx.maxCarersPerClient
				})
			);
		}
	}
	for (const visits of slots.values()) {
		const carers = new Set(visits.map((v) => v.carerId).filter((c) => c !== null));
		if (carers.size < 2) {
			const first = visits[0]!;
			out.push(
				warning({
					kind: 'two-carers',
					memberId: null,
					clientId: first.clientId,
					itemIds: visits.map((v) => v.id),
					date: first.date,
					figure: carers.size
				})
			);
		}
	}
	return out;
}

/** Two items of one person closer than the travel between them (or overlapping outright). */
function checkOverlaps(
	member: RotaMember,
	items: WorkItem[],
	travel: (a: string, b: string) => number,
	out: RotaWarning[]
): void {
	let latest: WorkItem | null = null;
	for (const item of items) {
		if (latest !== null && (item.thisWeek || latest.thisWeek)) {
			const gap = item.from - latest.to;
			const needed = travel(latest.sector, item.sector);
			if (gap < needed || gap < 0) {
				out.push(
					warning({
						kind: 'overlap',
						memberId: member.id,
						clientId: null,
						itemIds: [latest.id, item.id],
						date: item.date,
						// Minutes missing: the overlap plus the travel that does not fit.
						figure: needed - gap
					})
				);
			}
		}
		if (latest === null || item.to > latest.to) latest = item;
	}
}

/** The branch agreement's working-time rules, for salaried members (IDCC 2941). */
function checkWorkingTime(
	member: RotaMember,
	items: WorkItem[],
	ctx: RotaContext,
	inWeek: (date: string) => boolean,
	out: RotaWarning[]
): void {
	const days = new Map<string, { first: WorkItem; lastEnd: number; lastId: string }>();
	for (const item of items) {
		const day = days.get(item.date);
		if (day === undefined) days.set(item.date, { first: item, lastEnd: item.to, lastId: item.id });
		else if (item.to > day.lastEnd) {
			day.lastEnd = item.to;
			day.lastId = item.id;
		}
	}
	const worked = [...days.keys()].sort();
	// Rest between two working days in a row.
	for (let i = 1; i < worked.length; i++) {
		const before = worked[i - 1]!;
		const after = worked[i]!;
		if (daysBetween(before, after) !== 1 || !inWeek(after)) continue;
		const rest = days.get(after)!.first.from - days.get(before)!.lastEnd;
		if (rest < RULES.minRestMinutes) {
			out.push(
				warning({
					kind: 'rest',
					memberId: member.id,
					clientId: null,
					itemIds: [days.get(before)!.lastId, days.get(after)!.first.id],
					date: after,
					figure: Math.max(0, rest)
				})
			);
		}
	}
	// Days in a row.
	let run = 0;
	for (let i = 0; i < worked.length; i++) {
		run = i > 0 && daysBetween(worked[i - 1]!, worked[i]!) === 1 ? run + 1 : 1;
		if (run === RULES.maxDaysInRow + 1 && inWeek(worked[i]!)) {
			out.push(
				warning({
					kind: 'days-in-row',
					memberId: member.id,
					clientId: null,
					itemIds: [days.get(worked[i]!)!.first.id],
					date: worked[i]!,
					figure: run
				})
			);
		}
	}
	// Rest days over the fortnight that ends this Sunday (known only when the week before is).
	if (ctx.previous !== undefined && worked.some(inWeek)) {
		const start = addDays(ctx.monday, -7);
		let restDays = 0;
		let sundayOff = false;
		for (let d = 0; d < 14; d++) {
			const date = addDays(start, d);
			if (days.has(date)) continue;
			restDays++;
			if (weekdayOf(date) === 7) sundayOff = true;
		}
		if (restDays < RULES.minRestDaysInFortnight || !sundayOff) {
			out.push(
				warning({
					kind: 'fortnight-rest',
					memberId: member.id,
					clientId: null,
					itemIds: [],
					date: null,
					figure: restDays
				})
			);
		}
	}
	// A schedule changed less than seven days before the day worked.
	for (const item of ctx.visits) {
		if (item.carerId !== member.id) continue;
		if (item.changedAt === null) continue;
		const notice = daysBetween(item.changedAt.slice(0, 10), item.date);
		if (notice >= 0 && notice < RULES.minNoticeDays) {
			out.push(
				warning({
					kind: 'late-change',
					memberId: member.id,
					clientId: item.clientId,
					itemIds: [item.id],
					date: item.date,
					figure: notice
				})
			);
		}
	}
	for (const shift of ctx.shifts) {
		if (shift.memberId !== member.id || shift.changedAt === null) continue;
		const notice = daysBetween(shift.changedAt.slice(0, 10), shift.date);
		if (notice >= 0 && notice < RULES.minNoticeDays) {
			out.push(
				warning({
					kind: 'late-change',
					memberId: member.id,
					clientId: null,
					itemIds: [shift.id],
					date: shift.date,
					figure: notice
				})
			);
		}
	}
}

/** How many warnings of each kind, for the summary bar. */
export function countByKind(
	warnings: readonly RotaWarning[]
): Partial<Record<RotaWarningKind, number>> {
	const counts: Partial<Record<RotaWarningKind, number>> = {};
	for (const w of warnings) counts[w.kind] = (counts[w.kind] ?? 0) + 1;
	return counts;
}
