// What the service worker (src/service-worker.ts) keeps on the device, and what logging out removes.
// Pure rules, shared by the worker and the pages, unit-tested in tests/unit/offline-cache.test.ts.

/** Every cache Kring opens starts with this, so a clean-up can tell Kring's caches from others. */
const CACHE_PREFIX = 'kring-';

/** Built assets and static files of one build (immutable: a new build gets a new cache). */
export const assetCacheName = (version: string): string => `${CACHE_PREFIX}assets-${version}`;

/**
 * Pages of one build that a signed-in member opened on this device. Tied to the build because a
 * page's HTML names the build's hashed scripts: a page kept from an older build would load with
 * assets that are gone.
 */
export const pageCacheName = (version: string): string => `${CACHE_PREFIX}pages-${version}`;

/** Whether a cache holds pages (kept per member: they go when another member signs in). */
export const isPageCache = (name: string): boolean => name.startsWith(`${CACHE_PREFIX}pages-`);

/** On activation of `version`: every Kring cache of another build goes (the other site's too: none). */
export function staleCaches(names: readonly string[], version: string): string[] {
	const keep = new Set([assetCacheName(version), pageCacheName(version)]);
	return names.filter((name) => name.startsWith(CACHE_PREFIX) && !keep.has(name));
}

/** The response header by which the server marks a page rendered for a signed-in member: their id. */
export const MEMBER_PAGE_HEADER = 'x-kring-member-page';
/** Added by the worker to a kept page: when it was fetched (ISO time), for the offline banner. */
export const CACHED_AT_HEADER = 'x-kring-cached-at';
/** What the worker tells open pages when the device had no room left to keep a page. */
export const STORAGE_FULL_MESSAGE = 'kring:storage-full';
/** The page shown for a page never opened on this device. */
export const OFFLINE_PATH = '/offline';

/** Paths whose answers are never kept: they act, stream, or belong to nobody in particular. */
const NEVER_KEPT = [
	'/logout',
	'/login',
	'/signup',
	'/invite',
	'/language',
	'/api',
	'/feed',
	'/collab'
];

const under = (path: string, prefix: string): boolean =>
	path === prefix || path.startsWith(`${prefix}/`);

interface RequestFacts {
	method: string;
	url: string;
	mode: string;
}

/**
 * Whether the worker handles this request as a page navigation (network first, kept copy or the
 * offline page when the network fails). Anything else (form posts, data requests, the board's
 * WebSocket, other sites) goes to the network untouched.
 */
export function isPageNavigation(request: RequestFacts, origin: string): boolean {
	if (request.method !== 'GET' || request.mode !== 'navigate') return false;
	const url = new URL(request.url);
	if (url.origin !== origin) return false;
	return !NEVER_KEPT.some((prefix) => under(url.pathname, prefix));
}

interface ResponseFacts {
	status: number;
	type: string;
	redirected: boolean;
	headers: { get(name: string): string | null };
}

/**
 * Whether a page the network answered may be kept on the device: a GET navigation (above), a
 * plain 200 from this site (not the end of a redirect, e.g. to the login page), HTML, and marked by
 * the server as rendered for a signed-in member (so a guest page never stands in for a member's).
 */
export function isKeptPage(
	request: RequestFacts,
	response: ResponseFacts,
	origin: string
): boolean {
	if (!isPageNavigation(request, origin)) return false;
	if (new URL(request.url).pathname === OFFLINE_PATH) return false;
	if (response.status !== 200 || response.type !== 'basic' || response.redirected) return false;
	if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) return false;
	return (response.headers.get(MEMBER_PAGE_HEADER) ?? '') !== '';
}

/** Whether a kept page was rendered for someone other than `userId` (it goes when they sign in). */
export const keptForSomeoneElse = (
	headers: { get(name: string): string | null },
	userId: string
): boolean => headers.get(MEMBER_PAGE_HEADER) !== userId;

/** How every page's title ends (its `<svelte:head>`). */
const TITLE_SUFFIX = ' · Kring';

/**
 * How the offline page lists a kept page: its title as rendered for the member, in their language
 * (a card's names the client, a day's its date, a team page's the team), without the app's name
 * that every title ends with; the address when the page had no title.
 */
export function keptPageLabel(title: string, path: string): string {
	const trimmed = title.trim();
	const label = trimmed.endsWith(TITLE_SUFFIX)
		? trimmed.slice(0, -TITLE_SUFFIX.length).trim()
		: trimmed;
	return label === '' ? path : label;
}

/** Prefix of the board's offline copies in IndexedDB (`kring:<userId>:<document>`, y-indexeddb). */
export const OFFLINE_DB_PREFIX = 'kring:';

/**
 * The IndexedDB databases to delete: at logout every Kring one (`keepUserId` null); when another
 * member signs in on this device, those of everyone else.
 */
export function databasesToDelete(
	names: readonly (string | undefined)[],
	keepUserId: string | null
): string[] {
	const keep = keepUserId === null ? null : `${OFFLINE_DB_PREFIX}${keepUserId}:`;
	return names.filter(
		(name): name is string =>
			name !== undefined &&
			name.startsWith(OFFLINE_DB_PREFIX) &&
			(keep === null || !name.startsWith(keep))
	);
}

/** Whether a storage failure is the device running out of room for this site. */
export function isQuotaError(error: unknown): boolean {
	if (typeof error !== 'object' || error === null) return false;
	const name = (error as { name?: unknown }).name;
	return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}
