import type { Qualification } from './caseload';
import { daysBetween } from './week';

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
	/**
	 * To cover: its carer fell sick (see rota-cover.ts), so it has no carer (`carerId` null) and
	 * remembers whose it was (`from`) and since when; absent or null when not.
	 */
	cover?: { from: string; at: string } | null;
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

type Employment = 'salaried' | 'self_employed';

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

const DAY_MINUTES = 24 * 60;
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
		offer: parseOffer(v.offer),
		cover: parseCover(v.cover)
	};
}

function parseOffer(raw: unknown): { by: string; at: string } | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const v = raw as Record<string, unknown>;
	return typeof v.by === 'string' && typeof v.at === 'string' ? { by: v.by, at: v.at } : null;
}

function parseCover(raw: unknown): { from: string; at: string } | null {
	if (typeof raw !== 'object' || raw === null) return null;
	const v = raw as Record<string, unknown>;
	return typeof v.from === 'string' && typeof v.at === 'string' ? { from: v.from, at: v.at } : null;
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
