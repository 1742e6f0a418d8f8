import { error, type RequestEvent } from '@sveltejs/kit';
import { isId } from '$lib/domain/ids';
import { hasControlCharacter } from '$lib/domain/text';
import { m } from '$lib/paraglide/messages';

const MAX_PARAM_LENGTH = 128;

/**
 * The form action a POST names, read as SvelteKit reads it: the first query key that starts with
 * `/` (`?/consent`), or null for the default action.
 */
function actionName(url: URL): string | null {
	for (const key of url.searchParams.keys()) if (key.startsWith('/')) return key.slice(1);
	return null;
}

/**
 * Names SvelteKit must never look up: it throws a plain Error (a 500) on `?/default`, and an
 * object's own inherited keys (`?/constructor`, `?/__proto__`, `?/toString`) would be found on
 * the actions object although no page defines them.
 */
function isReservedAction(name: string): boolean {
	return name === 'default' || name in Object.prototype;
}

/**
 * Refuses, before any load or action runs, what no page of Kring can answer: a reserved action
 * name and route parameters no Kring URL holds. Each gets a 404, as an unknown action or id does,
 * instead of reaching SvelteKit or the database and failing there with a 500.
 */
export function refuseMalformed(event: Pick<RequestEvent, 'request' | 'url' | 'params'>): void {
	if (event.request.method === 'POST') {
		const name = actionName(event.url);
		if (name !== null && isReservedAction(name)) error(404, m.error_not_found());
	}
	const params: Partial<Record<string, string>> = event.params;
	for (const value of Object.values(params)) {
		if (value === undefined) continue;
		// Postgres text cannot hold NUL; no Kring URL holds a control character of any kind.
		if (value.length > MAX_PARAM_LENGTH || hasControlCharacter(value))
			error(404, m.error_not_found());
	}
	if (params.teamId !== undefined && !isId(params.teamId)) error(404, m.error_not_found());
}
