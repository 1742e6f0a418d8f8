import type { Shift, Visit } from './rota';
import { addDays } from './week';

/**
 * What the week page shows and does with a week's visits and shifts, kept out of the page so it
 * can be tested without a browser.
 */

/** The seven dates of the week that starts on `monday`. */
export function weekDays(monday: string): string[] {
	return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The minutes a member is planned this week: their visits and their shifts. */
export function plannedMinutes(
	week: { visits: readonly Visit[]; shifts: readonly Shift[] },
	memberId: string
): number {
	const visits = week.visits.filter((v) => v.carerId === memberId);
	const shifts = week.shifts.filter((s) => s.memberId === memberId);
	return [...visits, ...shifts].reduce((sum, item) => sum + item.minutes, 0);
}

/**
 * A visit cut in two at its middle (the first half gets the odd minute less): the first keeps its
 * id, the second is a new visit `newId` that starts where the first ends and is not offered.
 */
export function splitVisit(visit: Visit, newId: string): [Visit, Visit] {
	const half = Math.floor(visit.minutes / 2);
	return [
		{ ...visit, minutes: half },
		{ ...visit, id: newId, start: visit.start + half, minutes: visit.minutes - half, offer: null }
	];
}

/** Per client, how often each carer visited lately, from its JSON form (pairs) into maps. */
export function recentVisits(
	pairs: readonly (readonly [string, readonly (readonly [string, number])[]])[]
): Map<string, Map<string, number>> {
	return new Map(pairs.map(([client, counts]) => [client, new Map(counts)]));
}
