import { dateTimeFormat } from './format';

/** The teams work in France: rota times are wall-clock times in Paris. */
export const TEAM_TIME_ZONE = 'Europe/Paris';

/** Minutes the zone is ahead of UTC at an instant (Paris: 60 in winter, 120 in summer). */
function offsetMinutes(instant: number, timeZone: string): number {
	const parts = dateTimeFormat('en-GB', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit'
	}).formatToParts(new Date(instant));
	const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
	return Math.round((asUtc - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/**
 * The instant of a wall-clock time (`date` 'YYYY-MM-DD', `minutes` after midnight, possibly past
 * 24 h for a visit running over midnight) in a time zone. In the hour that does not exist when
 * clocks go forward, the time is read with the offset from before the change.
 */
export function wallClockToInstant(date: string, minutes: number, timeZone = TEAM_TIME_ZONE): Date {
	const naive =
		Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) +
		minutes * 60_000;
	const first = naive - offsetMinutes(naive, timeZone) * 60_000;
	const second = naive - offsetMinutes(first, timeZone) * 60_000;
	return new Date(
		offsetMinutes(second, timeZone) === offsetMinutes(first, timeZone) ? second : first
	);
}

/** The instant of a form's local date-time 'YYYY-MM-DDTHH:MM' (Paris time), as ISO. */
export function localDateTimeToIso(value: string): string {
	return wallClockToInstant(
		value.slice(0, 10),
		Number(value.slice(11, 13)) * 60 + Number(value.slice(14, 16))
	).toISOString();
}

/** Today's date in the zone, 'YYYY-MM-DD'. */
export function todayIn(timeZone = TEAM_TIME_ZONE, now = new Date()): string {
	return dateTimeFormat('en-CA', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit'
	}).format(now);
}

/** The wall-clock date and minutes after midnight of an instant in the zone. */
export function instantToWallClock(
	instant: Date,
	timeZone = TEAM_TIME_ZONE
): { date: string; minutes: number } {
	const local = instant.getTime() + offsetMinutes(instant.getTime(), timeZone) * 60_000;
	const d = new Date(local);
	return {
		date: d.toISOString().slice(0, 10),
		minutes: d.getUTCHours() * 60 + d.getUTCMinutes()
	};
}
