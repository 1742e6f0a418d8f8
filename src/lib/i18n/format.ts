import type { Profession } from '$lib/domain/forms';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

/** Weekly hours the French way (`17 h 30`) or the English way (`17.5 h`). */
export function formatHours(minutes: number): string {
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	if (getLocale() === 'fr') return rest === 0 ? `${hours}\u00a0h` : `${hours}\u00a0h\u00a0${String(rest).padStart(2, '0')}`;
	return `${Number((minutes / 60).toFixed(2))}\u00a0h`;
}

/** `lun. 24 nov.` in French, `Mon 24 Nov` in English. */
export function formatDay(date: Date): string {
	return new Intl.DateTimeFormat(getLocale() === 'fr' ? 'fr-FR' : 'en-GB', {
		weekday: 'short',
		day: 'numeric',
		month: 'short'
	}).format(date);
}

/** `lun. 24 nov. à 8 h 30` style date and time, in the Paris time zone the teams work in. */
export function formatDateTime(date: Date): string {
	const locale = getLocale() === 'fr' ? 'fr-FR' : 'en-GB';
	const day = new Intl.DateTimeFormat(locale, {
		weekday: 'short',
		day: 'numeric',
		month: 'short',
		timeZone: 'Europe/Paris'
	}).format(date);
	const parts = new Intl.DateTimeFormat(locale, {
		hour: 'numeric',
		minute: '2-digit',
		hourCycle: 'h23',
		timeZone: 'Europe/Paris'
	}).formatToParts(date);
	const hour = parts.find((p) => p.type === 'hour')?.value ?? '';
	const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
	const time = getLocale() === 'fr' ? `${Number(hour)}\u00a0h\u00a0${minute}` : `${hour}:${minute}`;
	return m.date_at_time({ day, time });
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
