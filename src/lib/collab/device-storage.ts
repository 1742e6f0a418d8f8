import {
	CACHED_AT_HEADER,
	OFFLINE_DB_PREFIX,
	OFFLINE_PATH,
	databasesToDelete,
	isPageCache,
	keptForSomeoneElse,
	keptPageLabel
} from '$lib/domain/offline-cache';

// What Kring keeps on this device: the service worker's caches (this build's assets, the pages a
// member opened, the offline page) and the board's offline copies in IndexedDB (y-indexeddb, one
// database per member and document, named `kring:<userId>:<document>`). A shared phone must not
// keep health data: logging out removes all of it, and a different member signing in removes what
// the previous one left.

/** Deletes IndexedDB databases; one still open elsewhere is deleted once its page lets go. */
async function deleteDatabases(keepUserId: string | null): Promise<void> {
	if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
	const names = databasesToDelete(
		(await indexedDB.databases()).map((db) => db.name),
		keepUserId
	);
	await Promise.all(
		names.map(
			(name) =>
				new Promise<void>((resolve) => {
					const request = indexedDB.deleteDatabase(name);
					request.onsuccess = request.onerror = request.onblocked = () => resolve();
				})
		)
	);
}

async function deleteCaches(): Promise<void> {
	if (typeof caches === 'undefined') return;
	await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
}

/** Who last used Kring on this device (their id only), to notice another member signing in. */
const DEVICE_USER_KEY = `${OFFLINE_DB_PREFIX}device-user`;

/** Everything Kring keeps on this device goes: every cache, every offline copy, the last user. */
export async function clearDevice(): Promise<void> {
	await Promise.all([deleteCaches(), deleteDatabases(null)]);
	try {
		localStorage.removeItem(DEVICE_USER_KEY);
	} catch {
		// storage disabled: nothing was kept there either
	}
}

/** Logs out, after clearing this device (the login page clears again once this page is gone). */
export async function logOutClearingDevice(form: HTMLFormElement): Promise<void> {
	await clearDevice().catch(() => undefined);
	form.submit();
}

/**
 * On a signed-in page: when the device was last used by someone else (or by nobody known), their
 * kept pages and offline copies go before this member uses it. This member's own pages and offline
 * copies stay (the copies may hold edits not sent yet), so a page kept meanwhile is never lost.
 */
export async function claimDevice(userId: string): Promise<boolean> {
	let previous: string | null = null;
	try {
		previous = localStorage.getItem(DEVICE_USER_KEY);
	} catch {
		// storage disabled: treat the device as someone else's, every time
	}
	if (previous === userId) return false;
	await Promise.all([deleteOthersPages(userId), deleteDatabases(userId)]);
	try {
		localStorage.setItem(DEVICE_USER_KEY, userId);
	} catch {
		// nothing to remember with
	}
	return true;
}

/** Pages kept for anyone else (each says whom it was rendered for); this member's stay. */
async function deleteOthersPages(userId: string): Promise<void> {
	if (typeof caches === 'undefined') return;
	for (const name of (await caches.keys()).filter(isPageCache)) {
		const cache = await caches.open(name);
		for (const request of await cache.keys()) {
			const response = await cache.match(request);
			if (response === undefined || keptForSomeoneElse(response.headers, userId)) {
				await cache.delete(request);
			}
		}
	}
}

export interface KeptPage {
	/** Path and query, as opened. */
	href: string;
	/** What the page is, as its title says it (client, day, team): keptPageLabel. */
	title: string;
	keptAt: Date | null;
}

const keptAt = (response: Response): Date | null => {
	const value = response.headers.get(CACHED_AT_HEADER);
	const date = value === null ? null : new Date(value);
	return date === null || Number.isNaN(date.getTime()) ? null : date;
};

/** The pages this device keeps for offline use, newest first (the offline page lists them). */
export async function keptPages(): Promise<KeptPage[]> {
	if (typeof caches === 'undefined') return [];
	const pages: KeptPage[] = [];
	for (const name of (await caches.keys()).filter(isPageCache)) {
		const cache = await caches.open(name);
		for (const request of await cache.keys()) {
			const url = new URL(request.url);
			if (url.pathname === OFFLINE_PATH) continue;
			const response = await cache.match(request);
			if (response === undefined) continue;
			// DOMParser runs no script: it only reads the kept page's title.
			const html = new DOMParser().parseFromString(await response.text(), 'text/html');
			pages.push({
				href: url.pathname + url.search,
				title: keptPageLabel(html.title, url.pathname),
				keptAt: keptAt(response)
			});
		}
	}
	return pages.sort((a, b) => (b.keptAt?.getTime() ?? 0) - (a.keptAt?.getTime() ?? 0));
}

/** When the kept copy of this page was fetched, if this device keeps one. */
export async function keptPageTime(href: string): Promise<Date | null> {
	if (typeof caches === 'undefined') return null;
	for (const name of (await caches.keys()).filter(isPageCache)) {
		const response = await (await caches.open(name)).match(href, { ignoreVary: true });
		if (response !== undefined) return keptAt(response);
	}
	return null;
}
