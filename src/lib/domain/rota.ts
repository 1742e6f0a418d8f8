import type { Qualification } from './caseload';

/**
 * A rota week's shapes (schema version 1), pure so the browser, the server and the tests agree.
 *
 * Document `team/<teamId>/rota/<YYYY-Www>`:
 *   meta       Y.Map  { schemaVersion: 1 }
 *   visits     Y.Map  visitId → Visit (plain JSON, replaced whole on each change)
 *   shifts     Y.Map  shiftId → Shift (plain JSON)
 *   generated  Y.Map  patternKey → visitId: what generation already made, so running it again
 *                     never re-creates a visit someone moved or deleted by hand
 *
 * Times are minutes after midnight on the item's own date, in the team's local time; an item may
 * run past midnight (start + minutes > 1440).
 */
export const ROTA_SCHEMA_VERSION = 1;

export const SHIFT_KINDS = ['office', 'training', 'meeting'] as const;
export type ShiftKind = (typeof SHIFT_KINDS)[number];

export interface Visit {
	id: string;
	clientId: string;
	/** 'YYYY-MM-DD' */
	date: string;
	start: number;
	minutes: number;
	carerId: string | null;
	qualification: Qualification;
	/** When the carer or the time last changed (ISO), for the 7-days-ahead rule. */
	changedAt: string | null;
	/** Offered to colleagues by its carer (see rota-swap.ts); absent or null when not. */
	offer?: { by: string; at: string } | null;
}

export interface Shift {
	id: string;
	memberId: string;
	kind: ShiftKind;
	date: string;
	start: number;
	minutes: number;
	changedAt: string | null;
}

export type Employment = 'salaried' | 'self_employed';

export interface RotaMember {
	id: string;
	name: string;
	profession: 'nurse' | 'care_aide' | 'other';
	employment: Employment;
	contractMinutes: number;
}

export interface RotaClient {
	id: string;
	name: string;
	sector: string;
	primaryCarerId: string | null;
	nurseOnly: boolean;
	twoCarers: boolean;
	refusedCarerIds: string[];
}

export const DAY_MINUTES = 24 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;

const toUtc = (date: string) =>
	Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The day `n` days after `date` ('YYYY-MM-DD'). */
export function addDays(date: string, n: number): string {
	return fromUtc(toUtc(date) + n * DAY_MS);
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: string, b: string): number {
	return Math.round((toUtc(b) - toUtc(a)) / DAY_MS);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: string): number {
	const d = new Date(toUtc(date)).getUTCDay();
	return d === 0 ? 7 : d;
}

/** The Monday of ISO week `week` of `year`. */
export function isoWeekMonday(year: number, week: number): string {
	const jan4 = Date.UTC(year, 0, 4);
	const jan4Weekday = new Date(jan4).getUTCDay() || 7;
	return fromUtc(jan4 - (jan4Weekday - 1) * DAY_MS + (week - 1) * 7 * DAY_MS);
}

/** The ISO week a date falls in. */
export function isoWeekOf(date: string): { year: number; week: number } {
	const ms = toUtc(date);
	const weekday = new Date(ms).getUTCDay() || 7;
	const thursday = new Date(ms + (4 - weekday) * DAY_MS);
	const year = thursday.getUTCFullYear();
	const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7) + 1;
	return { year, week };
}

/** An item's interval in minutes from a reference Monday (so items of different days compare). */
export function interval(
	item: { date: string; start: number; minutes: number },
	monday: string
): [number, number] {
	const from = daysBetween(monday, item.date) * DAY_MINUTES + item.start;
	return [from, from + item.minutes];
}

/** Whether a member of this profession may do a visit needing this qualification. */
export function qualifies(profession: RotaMember['profession'], needed: Qualification): boolean {
	if (needed === 'any') return profession === 'nurse' || profession === 'care_aide';
	if (needed === 'care_aide') return profession === 'nurse' || profession === 'care_aide';
	return profession === 'nurse';
}

/** The qualification a visit really needs: the first-visit check can make a client nurse-only. */
export function neededQualification(
	visit: Pick<Visit, 'qualification'>,
	client: RotaClient | undefined
): Qualification {
	return client?.nurseOnly === true ? 'nurse' : visit.qualification;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string =>
	typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v));
const isTime = (v: unknown): v is number =>
	Number.isInteger(v) && (v as number) >= 0 && (v as number) < DAY_MINUTES;
const isLength = (v: unknown): v is number =>
	Number.isInteger(v) && (v as number) > 0 && (v as number) <= 16 * 60;

/** Reads one visit from the document's JSON; null when it does not fit (counted, never fatal). */
export function parseVisit(id: string, raw: unknown): Visit | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const v = raw as Record<string, unknown>;
	if (typeof v.clientId !== 'string' || !isDate(v.date) || !isTime(v.start) || !isLength(v.minutes))
		return null;
	if (v.carerId !== null && v.carerId !== undefined && typeof v.carerId !== 'string') return null;
	const qualification =
		v.qualification === 'nurse' || v.qualification === 'care_aide' ? v.qualification : 'any';
	return {
		id,
		clientId: v.clientId,
		date: v.date,
		start: v.start,
		minutes: v.minutes,
		carerId: typeof v.carerId === 'string' && v.carerId !== '' ? v.carerId : null,
		qualification,
		changedAt: typeof v.changedAt === 'string' ? v.changedAt : null,
		offer: parseOffer(v.offer)
	};
}

function parseOffer(raw: unknown): { by: string; at: string } | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const v = raw as Record<string, unknown>;
	return typeof v.by === 'string' && typeof v.at === 'string' ? { by: v.by, at: v.at } : null;
}

export function parseShift(id: string, raw: unknown): Shift | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const v = raw as Record<string, unknown>;
	if (typeof v.memberId !== 'string' || !SHIFT_KINDS.includes(v.kind as ShiftKind)) return null;
	if (!isDate(v.date) || !isTime(v.start) || !isLength(v.minutes)) return null;
	return {
		id,
		memberId: v.memberId,
		kind: v.kind as ShiftKind,
		date: v.date,
		start: v.start,
		minutes: v.minutes,
		changedAt: typeof v.changedAt === 'string' ? v.changedAt : null
	};
}
