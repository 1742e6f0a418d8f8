/**
 * Days and ISO weeks: the one home for day arithmetic on 'YYYY-MM-DD' dates, ISO 8601 weeks, their
 * Mondays and the `YYYY-Www` week names used in rota documents, pulse rounds and health figures.
 * Dates are calendar days without a time zone, computed as UTC midnights.
 */
import { HOUR_MS } from './time';

export const DAY_MS = 24 * HOUR_MS;

/** The `YYYY-Www` shape, as a regular-expression source (for grammars that embed a week). */
export const WEEK_PATTERN = '\\d{4}-W\\d{2}';
const WEEK = /^(\d{4})-W(\d{2})$/;

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

/** Number of ISO weeks in a year: 53 when 1 January or 31 December falls on a Thursday. */
export function isoWeeksInYear(year: number): number {
	const thursday = (y: number, m: number, d: number) =>
		new Date(Date.UTC(y, m, d)).getUTCDay() === 4;
	return thursday(year, 0, 1) || thursday(year, 11, 31) ? 53 : 52;
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

/** `2026-W49` for ISO week 49 of 2026. */
export function formatWeek(year: number, week: number): string {
	return `${year}-W${String(week).padStart(2, '0')}`;
}

/** `2026-W48` for a date ('YYYY-MM-DD') in that ISO week. */
export function weekOf(date: string): string {
	const { year, week } = isoWeekOf(date);
	return formatWeek(year, week);
}

/** The Monday ('YYYY-MM-DD') of the ISO week a date falls in. */
export function mondayOfDate(date: string): string {
	return addDays(date, 1 - weekdayOf(date));
}

/** `2026-W49` → `{ year: 2026, week: 49 }`; null unless it is a real ISO week written `YYYY-Www`. */
export function parseWeek(value: string): { year: number; week: number } | null {
	const match = WEEK.exec(value);
	if (match === null) return null;
	const year = Number(match[1]);
	const week = Number(match[2]);
	// Round trip: rejects week 0, a week 53 the year does not have, and years Date.UTC misreads.
	return weekOf(isoWeekMonday(year, week)) === value ? { year, week } : null;
}

/** The Monday ('YYYY-MM-DD') of an ISO week `YYYY-Www`, or null when there is no such week. */
export function mondayOf(week: string): string | null {
	const parsed = parseWeek(week);
	return parsed === null ? null : isoWeekMonday(parsed.year, parsed.week);
}

/** True for a real ISO week written `YYYY-Www`. */
export function isWeek(value: string): boolean {
	return parseWeek(value) !== null;
}

/** The week `n` weeks after `week` (before, for negative `n`). */
export function addWeeks(week: string, n: number): string {
	const monday = mondayOf(week);
	if (monday === null) throw new Error(`not an ISO week: ${week}`);
	return weekOf(addDays(monday, 7 * n));
}
