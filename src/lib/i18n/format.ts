import type { ClientStatus } from '$lib/domain/caseload';
import type { Profession } from '$lib/domain/profession';
import { dateTimeFormat, elidesBefore, formatClock, formatDuration } from '$lib/domain/format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

/** The teams work in France: times are shown in Paris time whatever the device says. */
const TIME_ZONE = 'Europe/Paris';

const intlLocale = () => (getLocale() === 'fr' ? 'fr-FR' : 'en-GB');

/** Weekly hours: `17 h 30` in French, `17.5 h` in English. */
export function formatHours(minutes: number): string {
	return formatDuration(minutes, getLocale());
}

/** Hours as a person would type them in a form: `17,5` in French, `17.5` in English. */
export function formatHoursInput(minutes: number): string {
	const hours = String(minutes / 60);
	return getLocale() === 'fr' ? hours.replace('.', ',') : hours;
}

/** `lun. 24 nov.` in French, `Mon 24 Nov` in English. */
export function formatDay(date: Date): string {
	return dateTimeFormat(intlLocale(), {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		timeZone: TIME_ZONE
	}).format(date);
}

/** `8 h 30` in French, `08:30` in English. */
/** A calendar day written 'YYYY-MM-DD' (noon, so no time zone moves it to another day). */
export function formatDate(day: string): string {
	return formatDay(new Date(`${day}T12:00:00`));
}

export function formatTime(date: Date): string {
	const parts = dateTimeFormat('en-GB', {
		hour: 'numeric',
		minute: 'numeric',
		hourCycle: 'h23',
		timeZone: TIME_ZONE
	}).formatToParts(date);
	const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
	const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
	return formatClock(hour, minute, getLocale());
}

/** `lun. 24 nov. à 8 h 30`. */
export function formatDateTime(date: Date): string {
	return m.date_at_time({ day: formatDay(date), time: formatTime(date) });
}

/**
 * The `elided` input of a French message whose preposition ("de", "que") comes before a name:
 * `m.board_note_label({ author, ...elision(author) })` reads "Note d’Aïcha", "Note de Sophie".
 */
export function elision(name: string): { elided: 'yes' | 'no' } {
	return { elided: elidesBefore(name) ? 'yes' : 'no' };
}

export function professionLabel(profession: Profession): string {
	switch (profession) {
		case 'nurse':
			return m.profession_nurse();
		case 'care_aide':
			return m.profession_care_aide();
		case 'other':
			return m.profession_other();
	}
}

export function clientStatusLabel(status: ClientStatus): string {
	switch (status) {
		case 'active':
			return m.status_active();
		case 'paused':
			return m.status_paused();
		case 'discharged':
			return m.status_discharged();
	}
}
