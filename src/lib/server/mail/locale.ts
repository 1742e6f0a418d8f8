import { AsyncLocalStorage } from 'node:async_hooks';
import {
	baseLocale,
	getServerAsyncLocalStorage,
	isLocale,
	overwriteServerAsyncLocalStorage,
	type Locale
} from '$lib/paraglide/runtime';

/** A stored language preference, or French (the base language) when none or unknown. */
export function localeOf(value: string | null | undefined): Locale {
	return typeof value === 'string' && isLocale(value) ? value : baseLocale;
}

/**
 * Runs `render` with Paraglide's current locale set to `locale`, as a request would: messages and
 * the date formatters of src/lib/i18n then speak the member's language, even in a timer's job.
 */
export function inLocale<T>(locale: Locale, render: () => T): T {
	let storage = getServerAsyncLocalStorage();
	if (!storage) {
		storage = new AsyncLocalStorage();
		overwriteServerAsyncLocalStorage(storage);
	}
	return storage.run({ locale, origin: undefined, messageCalls: new Set<string>() }, render);
}
