import { overlapsWork, type Absence } from './absences';
import type { VisitSlot } from './caseload';
import { RULES } from './rota-checks';
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

/** A client as generation reads it: active ones with their weekly pattern. */
export interface PatternClient extends RotaClient {
	active: boolean;
	visitPattern: readonly VisitSlot[];
}

/** The hard rule an item would break for a member (the overlap counts travel between sectors). */
export type FitRefusal = 'overlap' | 'travel' | 'rest' | 'days-in-row' | 'fortnight-rest';

/** Who is busy when: each member's items per day, kept sorted, for the hard rules of planning. */
export class Schedule {
	private readonly byMember = new Map<
		string,
		Map<string, { from: number; to: number; sector: string }[]>
	>();

	constructor(
		private readonly monday: string,
		private readonly sectorOf: (clientId: string) => string,
		private readonly travel: (from: string, to: string) => number
	) {}

	add(
		memberId: string,
		item: { date: string; start: number; minutes: number },
		sector: string
	): void {
		const days =
			this.byMember.get(memberId) ??
			new Map<string, { from: number; to: number; sector: string }[]>();
		this.byMember.set(memberId, days);
		const [from, to] = interval(item, this.monday);
		const list = days.get(item.date) ?? [];
		list.push({ from, to, sector });
		list.sort((a, b) => a.from - b.from);
		days.set(item.date, list);
	}

	addVisit(visit: Visit): void {
		if (visit.carerId !== null) this.add(visit.carerId, visit, this.sectorOf(visit.clientId));
	}

	addShift(shift: Shift): void {
		this.add(shift.memberId, shift, '');
	}

	worked(memberId: string, date: string): boolean {
		return (this.byMember.get(memberId)?.get(date)?.length ?? 0) > 0;
	}

	daysWorked(memberId: string, from: string, to: string): number {
		let days = 0;
		for (const [date, items] of this.byMember.get(memberId) ?? [])
			if (date >= from && date <= to && items.length > 0) days++;
		return days;
	}

	minutesIn(memberId: string, from: string, to: string): number {
		let sum = 0;
		for (const [date, items] of this.byMember.get(memberId) ?? []) {
			if (date >= from && date <= to) for (const i of items) sum += i.to - i.from;
		}
		return sum;
	}

	sectorsOn(memberId: string, date: string): string[] {
		return (this.byMember.get(memberId)?.get(date) ?? []).map((i) => i.sector);
	}

	/**
	 * Whether the member can take this item without breaking a hard rule: no overlap (with travel
	 * between sectors, days either side included for items across midnight) and, for salaried
	 * members, 11 h of rest, six days in a row at most, and four rest days in the fortnight with a
	 * Sunday (when the week before is known).
	 */
	fits(
		member: RotaMember,
		item: { date: string; start: number; minutes: number },
		sector: string,
		fortnightKnown: boolean
	): boolean {
		return this.whyNot(member, item, sector, fortnightKnown) === null;
	}

	/** The hard rule the member would break by taking this item, or null when it fits. */
	whyNot(
		member: RotaMember,
		item: { date: string; start: number; minutes: number },
		sector: string,
		fortnightKnown: boolean
	): FitRefusal | null {
		const days = this.byMember.get(member.id);
		const [from, to] = interval(item, this.monday);
		for (const d of [-1, 0, 1]) {
			for (const other of days?.get(addDays(item.date, d)) ?? []) {
				if (other.to <= from) {
					if (from - other.to < this.travel(other.sector, sector)) return 'travel';
				} else if (other.from >= to) {
					if (other.from - to < this.travel(sector, other.sector)) return 'travel';
				} else return 'overlap';
			}
		}
		if (member.employment !== 'salaried') return null;
		const today = days?.get(item.date) ?? [];
		const first = Math.min(from, ...today.map((i) => i.from));
		const last = Math.max(to, ...today.map((i) => i.to));
		const before = days?.get(addDays(item.date, -1)) ?? [];
		const after = days?.get(addDays(item.date, 1)) ?? [];
		const becomesFirst = today.length === 0 || from < Math.min(...today.map((i) => i.from));
		const becomesLast = today.length === 0 || to > Math.max(...today.map((i) => i.to));
		if (
			becomesFirst &&
			before.length > 0 &&
			first - Math.max(...before.map((i) => i.to)) < RULES.minRestMinutes
		)
			return 'rest';
		if (
			becomesLast &&
			after.length > 0 &&
			Math.min(...after.map((i) => i.from)) - last < RULES.minRestMinutes
		)
			return 'rest';
		if (today.length > 0) return null;
		// A new working day: the run of days in a row, and the fortnight's rest days.
		let run = 1;
		for (let d = 1; this.worked(member.id, addDays(item.date, -d)); d++) run++;
		for (let d = 1; this.worked(member.id, addDays(item.date, d)); d++) run++;
		if (run > RULES.maxDaysInRow) return 'days-in-row';
		if (
			fortnightKnown &&
			daysBetween(this.monday, item.date) >= 0 &&
			daysBetween(this.monday, item.date) < 7
		) {
			const start = addDays(this.monday, -7);
			let rest = 0;
			let sundayOff = false;
			for (let d = 0; d < 14; d++) {
				const date = addDays(start, d);
				if (date === item.date || this.worked(member.id, date)) continue;
				rest++;
				if (weekdayOf(date) === 7) sundayOff = true;
			}
			if (rest < RULES.minRestDaysInFortnight || !sundayOff) return 'fortnight-rest';
		}
		return null;
	}
}

export interface PlanContext {
	monday: string;
	members: readonly RotaMember[];
	clients: readonly PatternClient[];
	absences: readonly Absence[];
	visits: readonly Visit[];
	shifts: readonly Shift[];
	previous?: { visits: readonly Visit[]; shifts: readonly Shift[] };
	travel?: (from: string, to: string) => number;
	/** Each member's usual rest days (ISO weekdays): generation keeps them free, suggestion avoids them. */
	restDays?: ReadonlyMap<string, readonly number[]>;
}

/** What a schedule is built from: the week's items, the week before, and where clients live. */
export type ScheduleSource = Pick<
	PlanContext,
	'monday' | 'visits' | 'shifts' | 'previous' | 'travel'
> & {
	clients: readonly { id: string; sector: string }[];
};

function travelOf(ctx: Pick<PlanContext, 'travel'>) {
	return (
		ctx.travel ??
		((a: string, b: string) => (a === '' || b === '' || a === b ? 0 : RULES.travelBetweenSectors))
	);
}

/** Everyone's busy times this week and the one before. */
export function scheduleOf(ctx: ScheduleSource): Schedule {
	const sectors = new Map(ctx.clients.map((c) => [c.id, c.sector]));
	const schedule = new Schedule(ctx.monday, (id) => sectors.get(id) ?? '', travelOf(ctx));
	for (const v of ctx.visits) schedule.addVisit(v);
	for (const s of ctx.shifts) schedule.addShift(s);
	for (const v of ctx.previous?.visits ?? []) schedule.addVisit(v);
	for (const s of ctx.previous?.shifts ?? []) schedule.addShift(s);
	return schedule;
}

/**
 * Usual rest days for a demo team, until teams record their own: two days in a row,
 * rotating through the week with the member's place in the team, so that every day, the weekend
 * included, keeps most of the team at work. ISO weekdays (1 = Monday).
 */
export function usualRestDays(index: number): [number, number] {
	const first = (index * 2) % 7;
	return [first + 1, ((first + 1) % 7) + 1];
}

/** Days a week a contract usually means (7 h days: 35 h → 5 days); at least one, at most six. */
function targetDays(member: RotaMember): number {
	return Math.min(6, Math.max(1, Math.round(member.contractMinutes / 420)));
}

/** Whether this member may take this visit at all: qualification, absence, the client's refusal. */
function allowed(
	member: RotaMember,
	visit: Pick<Visit, 'date' | 'start' | 'minutes' | 'qualification'>,
	client: RotaClient | undefined,
	absences: readonly Absence[]
): boolean {
	if (!qualifies(member.profession, neededQualification(visit, client))) return false;
	if (client?.refusedCarerIds.includes(member.id) === true) return false;
	return !absences.some(
		(a) => a.memberId === member.id && overlapsWork(a, visit.date, visit.start, visit.minutes)
	);
}

/** The key of one pattern slot in one week: what generation remembers having made. */
function patternKey(clientId: string, date: string, slot: VisitSlot, copy: number): string {
	return `${clientId}|${date}|${slot.start}|${slot.minutes}|${slot.qualification}|${copy}`;
}

/**
 * The week's required visits from the clients' patterns. Only what is missing is made: a key that
 * generation already made (`alreadyGenerated`) is skipped even if someone has since moved or
 * deleted that visit. A visit goes to the client's primary carer when they are free and allowed;
 * otherwise it stays unassigned. Clients who need two carers get two visits per slot.
 */
export function generateWeek(
	ctx: PlanContext,
	alreadyGenerated: ReadonlySet<string>,
	newId: () => string
): { visits: Visit[]; keys: [string, string][] } {
	const schedule = scheduleOf(ctx);
	const members = new Map(ctx.members.map((m) => [m.id, m]));
	const fortnightKnown = ctx.previous !== undefined;
	const sunday = addDays(ctx.monday, 6);
	const restDays = ctx.restDays ?? new Map<string, readonly number[]>();
	const visits: Visit[] = [];
	const keys: [string, string][] = [];
	for (const client of ctx.clients) {
		if (!client.active) continue;
		for (const slot of client.visitPattern) {
			const date = addDays(ctx.monday, slot.weekday - 1);
			for (let copy = 0; copy < (client.twoCarers ? 2 : 1); copy++) {
				const key = patternKey(client.id, date, slot, copy);
				if (alreadyGenerated.has(key)) continue;
				const visit: Visit = {
					id: newId(),
					clientId: client.id,
					date,
					start: slot.start,
					minutes: slot.minutes,
					carerId: null,
					qualification: slot.qualification,
					changedAt: null
				};
				const primary =
					copy === 0 && client.primaryCarerId !== null
						? members.get(client.primaryCarerId)
						: undefined;
				if (
					primary !== undefined &&
					allowed(primary, visit, client, ctx.absences) &&
					schedule.fits(primary, visit, client.sector, fortnightKnown) &&
					!(restDays.get(primary.id)?.includes(slot.weekday) ?? false) &&
					(schedule.worked(primary.id, date) ||
						schedule.daysWorked(primary.id, ctx.monday, sunday) < targetDays(primary))
				) {
					visit.carerId = primary.id;
					schedule.addVisit(visit);
				}
				visits.push(visit);
				keys.push([key, visit.id]);
			}
		}
	}
	return { visits, keys };
}

export interface Suggestion {
	visitId: string;
	carerId: string;
	/** Why this carer, in facts a page turns into words (rota-suggestion i18n). */
	why: SuggestionWhy;
}

/**
 * What made a suggestion: continuity (the client's primary carer, or how often they visited the
 * client lately and this week), the hours left under the contract this week once the visit is
 * taken (negative: over it), and whether it keeps the carer's day in one sector. A suggestion
 * always respects the hard rules (qualification, absences, the client's refusal, overlap and
 * travel, 11 h of rest, days in a row), so that part is said for all of them.
 */
export interface SuggestionWhy {
	primary: boolean;
	/** Visits to this client lately (the four weeks before) and this week. */
	visitedLately: number;
	visitedThisWeek: number;
	/** Contract minutes left this week after the visit; null when the member has no contract hours. */
	minutesLeft: number | null;
	sameSector: boolean;
}

/**
 * Proposes carers for the unassigned visits, breaking no hard rule (qualification, absence, the
 * client's refusal, overlap with travel, and for salaried members rest, days in a row and the
 * fortnight). Among those who fit it favours continuity (the primary carer, then who visited the
 * client most, this week and in `recentVisits`), balance of hours against contracts, and rounds
 * within one sector. Visits nobody can take stay unassigned. Deterministic.
 */
export function suggestAssignments(
	ctx: PlanContext,
	recentVisits: ReadonlyMap<string, ReadonlyMap<string, number>> = new Map()
): Suggestion[] {
	const schedule = scheduleOf(ctx);
	const clients = new Map(ctx.clients.map((c) => [c.id, c]));
	const fortnightKnown = ctx.previous !== undefined;
	const sunday = addDays(ctx.monday, 6);
	const restDays = ctx.restDays ?? new Map<string, readonly number[]>();
	const thisWeek = new Map<string, Map<string, number>>();
	for (const v of ctx.visits) {
		if (v.carerId === null) continue;
		const counts = thisWeek.get(v.clientId) ?? new Map<string, number>();
		counts.set(v.carerId, (counts.get(v.carerId) ?? 0) + 1);
		thisWeek.set(v.clientId, counts);
	}
	const open = ctx.visits
		.filter((v) => v.carerId === null)
		.sort((a, b) => a.date.localeCompare(b.date) || a.start - b.start || a.id.localeCompare(b.id));
	const out: Suggestion[] = [];
	for (const visit of open) {
		const client = clients.get(visit.clientId);
		const sector = client?.sector ?? '';
		let best: { member: RotaMember; score: number; why: SuggestionWhy } | null = null;
		for (const member of ctx.members) {
			if (!allowed(member, visit, client, ctx.absences)) continue;
			if (!schedule.fits(member, visit, sector, fortnightKnown)) continue;
			let score = 0;
			if (client?.primaryCarerId === member.id) score += 50;
			score += Math.min(30, 5 * (recentVisits.get(visit.clientId)?.get(member.id) ?? 0));
			score += Math.min(24, 8 * (thisWeek.get(visit.clientId)?.get(member.id) ?? 0));
			const load = schedule.minutesIn(member.id, ctx.monday, sunday) + visit.minutes;
			score -= member.contractMinutes > 0 ? 20 * (load / member.contractMinutes) : 40;
			if (member.contractMinutes > 0 && load > member.contractMinutes) score -= 30;
			// Rounds rather than scattered days: a day already worked is cheap, a new one costs more
			// the more days the member already works (rest days are precious, and rules count them).
			if (restDays.get(member.id)?.includes(weekdayOf(visit.date)) === true) score -= 20;
			if (schedule.worked(member.id, visit.date)) score += 6;
			else {
				score -= 3 * schedule.daysWorked(member.id, addDays(ctx.monday, -7), sunday);
				if (schedule.daysWorked(member.id, ctx.monday, sunday) >= targetDays(member)) score -= 15;
			}
			const sectors = schedule.sectorsOn(member.id, visit.date);
			if (sector !== '' && sectors.includes(sector)) score += 10;
			else if (sectors.some((s) => s !== '')) score -= 5;
			// Ties go to whoever comes first in the team's order: the same input gives the same proposal.
			if (best === null || score > best.score)
				best = {
					member,
					score,
					why: {
						primary: client?.primaryCarerId === member.id,
						visitedLately: recentVisits.get(visit.clientId)?.get(member.id) ?? 0,
						visitedThisWeek: thisWeek.get(visit.clientId)?.get(member.id) ?? 0,
						minutesLeft: member.contractMinutes > 0 ? member.contractMinutes - load : null,
						sameSector: sector !== '' && sectors.includes(sector)
					}
				};
		}
		if (best === null) continue;
		schedule.addVisit({ ...visit, carerId: best.member.id });
		const counts = thisWeek.get(visit.clientId) ?? new Map<string, number>();
		counts.set(best.member.id, (counts.get(best.member.id) ?? 0) + 1);
		thisWeek.set(visit.clientId, counts);
		out.push({ visitId: visit.id, carerId: best.member.id, why: best.why });
	}
	return out;
}
