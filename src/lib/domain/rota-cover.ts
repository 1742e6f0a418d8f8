import { overlapsWork, type Absence } from './absences';
import type { Visit } from './rota';
import { instantToWallClock, wallClockToInstant } from './time-zone';
import { addDays } from './week';

/**
 * Same-day re-planning. A member says "I am off sick from now" (or a colleague records it for
 * them): a sickness absence starts now and runs to the end of a chosen day; each of their visits
 * in that window that has not started becomes "to cover" (no carer, the original carer
 * remembered, see `Visit.cover`); colleagues who can take one take it (rota-swap.ts `canTake`),
 * first come first served on the server. No I/O.
 */

/** At most this many days ahead a sickness said "from now" may run; longer ones are leave. */
export const MAX_SICK_DAYS = 14;

/** The absence "off sick from `now` until the end of today + `extraDays`", in the team's time. */
export function sickFromNow(
	memberId: string,
	now: Date,
	extraDays: number
): Omit<Absence, 'id' | 'note'> {
	const { date, minutes } = instantToWallClock(now);
	const days = Math.max(0, Math.min(MAX_SICK_DAYS - 1, Math.trunc(extraDays)));
	return {
		memberId,
		kind: 'sickness',
		from: date,
		to: addDays(date, days),
		startsAt: minutes,
		endsAt: null
	};
}

/** The member's visits the absence takes away, those not started at `now` (a visit under way stays). */
export function visitsToCover(
	visits: readonly Visit[],
	absence: Pick<Absence, 'memberId' | 'from' | 'to' | 'startsAt' | 'endsAt'> & Partial<Absence>,
	now: Date
): Visit[] {
	const a = { id: '', kind: 'sickness', note: '', ...absence } as Absence;
	return visits.filter(
		(v) =>
			v.carerId === absence.memberId &&
			overlapsWork(a, v.date, v.start, v.minutes) &&
			wallClockToInstant(v.date, v.start).getTime() >= now.getTime()
	);
}

/** The visit once to cover: no carer, whose it was and since when; an offer on it is dropped. */
export function toCover(visit: Visit, at: Date): Visit {
	return {
		...visit,
		carerId: null,
		offer: null,
		cover: { from: visit.carerId ?? '', at: at.toISOString() }
	};
}

/** The visits still to cover on `day` (what the team watches until the day reads covered). */
export function stillToCover(visits: readonly Visit[], day: string): Visit[] {
	return visits.filter((v) => v.date === day && v.carerId === null && v.cover != null);
}
