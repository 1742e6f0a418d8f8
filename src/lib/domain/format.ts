/** Formatting rules of the team's language, pure so the server, the browser and tests agree. */
export type Language = 'fr' | 'en';

const NBSP = '\u00a0';

/**
 * An `Intl.DateTimeFormat`, made once per locale and options and kept: making one costs far more
 * than using it (the rota page made some twenty per request), and a formatter holds no state
 * between calls. Bounded: callers pass a handful of fixed option sets.
 */
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
export function dateTimeFormat(
	locale: string,
	options: Intl.DateTimeFormatOptions
): Intl.DateTimeFormat {
	const key = `${locale} ${JSON.stringify(options)}`;
	let format = dateTimeFormats.get(key);
	if (format === undefined) {
		format = new Intl.DateTimeFormat(locale, options);
		if (dateTimeFormats.size >= 64) dateTimeFormats.clear();
		dateTimeFormats.set(key, format);
	}
	return format;
}

/** A duration in minutes: `17 h 30`, `35 h` in French; `17.5 h`, `35 h` in English. */
export function formatDuration(minutes: number, language: Language): string {
	if (language === 'en') return `${Number((minutes / 60).toFixed(2))}${NBSP}h`;
	const hours = Math.floor(minutes / 60);
	const rest = minutes % 60;
	return rest === 0
		? `${hours}${NBSP}h`
		: `${hours}${NBSP}h${NBSP}${String(rest).padStart(2, '0')}`;
}

/** A clock time: `8 h 30` in French (24-hour, as French services write it), `08:30` in English. */
export function formatClock(hour: number, minute: number, language: Language): string {
	const mm = String(minute).padStart(2, '0');
	return language === 'fr'
		? `${hour}${NBSP}h${NBSP}${mm}`
		: `${String(hour).padStart(2, '0')}:${mm}`;
}

/**
 * Whether French elides the word before this name or word: "d’Aïcha", "qu’Émile", "d’Yves", but
 * "de Sophie", "de Yasmine" (a y before a vowel is a consonant). An h is read as aspirated: telling a
 * mute h ("d’Hélène") from an aspirated one ("de Hugo") would need a dictionary.
 */
export function elidesBefore(word: string): boolean {
	const letters = word
		.trim()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
	const [first, second] = letters;
	if (first === undefined) return false;
	if ('aeiou'.includes(first)) return true;
	return first === 'y' && second !== undefined && !'aeiouy'.includes(second);
}
