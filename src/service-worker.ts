/// <reference types="@sveltejs/kit" />

// Kring's service worker, SvelteKit's own (`$service-worker`), not Workbox (@vite-pwa/sveltekit):
// what Kring needs is three small rules (precache this build, pages network-first with a kept copy,
// an offline page), and SvelteKit already hands us the exact list of built files and a build
// version. Workbox would add a build plugin and a runtime whose precache manifest and revision
// scheme duplicate `$service-worker`, and its generated worker is harder to read against the
// Content-Security-Policy and the logout rules below. The rules themselves are pure and tested:
// src/lib/domain/offline-cache.ts.
//
// Updates: a new build has a new `version`, so its worker is a new script. It installs (precaches
// its own assets), skips waiting and claims the open pages at once; activation deletes every cache
// of other builds, pages included (a kept page names the hashed scripts of its build). The old
// worker writes nothing once superseded, and each full load of a page deletes again whatever it
// was still writing at the switch. Open pages
// are told by `controllerchange` (src/lib/components/OfflineStatus.svelte): they do not mix old
// page and new assets, because their next navigation is a full load, and they offer a reload.

import { build, files, version } from '$service-worker';
import {
	CACHED_AT_HEADER,
	OFFLINE_PATH,
	STORAGE_FULL_MESSAGE,
	assetCacheName,
	isKeptPage,
	isQuotaError,
	isPageNavigation,
	pageCacheName,
	staleCaches
} from '$lib/domain/offline-cache';
import { onNotificationClick, onPush } from '$lib/sw/push';

// The worker's own types, declared here rather than with `/// <reference lib="webworker" />`:
// that reference would apply to the whole program and clash with the DOM types of the pages.
interface ExtendableEvent extends Event {
	waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
	readonly request: Request;
	respondWith(response: Promise<Response>): void;
}
interface ExtendableMessageEvent extends ExtendableEvent {
	readonly data: unknown;
}
interface WindowClient {
	postMessage(message: unknown): void;
}
interface WorkerScope {
	readonly location: Location;
	/** This worker (Chromium 120+, Safari 17+); `redundant` once a newer build took over. */
	readonly serviceWorker?: { readonly state: string };
	readonly clients: {
		claim(): Promise<void>;
		matchAll(options: { type: 'window' }): Promise<readonly WindowClient[]>;
	};
	skipWaiting(): Promise<void>;
	addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
	addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
	addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
	addEventListener(type: 'push', listener: (event: Parameters<typeof onPush>[0]) => void): void;
	addEventListener(
		type: 'notificationclick',
		listener: (event: Parameters<typeof onNotificationClick>[0]) => void
	): void;
}

const sw = self as unknown as WorkerScope;

const ASSETS = assetCacheName(version);
const PAGES = pageCacheName(version);
const ASSET_PATHS = new Set([...build, ...files]);
/** How long a page may wait on a slow network when a kept copy exists (a stairwell's one bar). */
const SLOW_NETWORK_MS = 6_000;

/** A newer build took over: this worker's late writes would bring back caches it deleted. */
const superseded = (): boolean => sw.serviceWorker?.state === 'redundant';

/** Deletes every Kring cache of another build. */
async function dropStaleCaches(): Promise<void> {
	await Promise.all(staleCaches(await caches.keys(), version).map((n) => caches.delete(n)));
}

/** Stores this build's assets (again after a logout emptied the caches) and the offline page. */
async function precache(): Promise<void> {
	if (superseded()) return;
	const cache = await caches.open(ASSETS);
	const kept = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
	const missing = [...ASSET_PATHS].filter((path) => !kept.has(path));
	if (missing.length > 0) await cache.addAll(missing);
	await refreshOfflinePage();
}

/** The offline page in the member's language (their cookie goes with the request). */
async function refreshOfflinePage(): Promise<void> {
	const response = await fetch(OFFLINE_PATH, { credentials: 'same-origin' });
	if (response.ok && !superseded()) await (await caches.open(PAGES)).put(OFFLINE_PATH, response);
}

sw.addEventListener('install', (event) => {
	event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			await dropStaleCaches();
			await sw.clients.claim();
		})()
	);
});

// Messages from the pages (src/lib/components/OfflineStatus.svelte):
// - `kring:refresh`, on each full load of a signed-in page: make the caches whole again (a logout
//   on this device emptied them) and fetch the offline page in the current language;
// - `kring:keep`, after a navigation inside the app (which fetched only the page's data): fetch the
//   page whole once more and keep it, so that it opens offline like a page loaded whole.
sw.addEventListener('message', (event) => {
	const message = event.data as { type?: unknown; href?: unknown } | null;
	if (message?.type === 'kring:refresh') {
		// Also what an older worker still busy at the switch may have written since.
		event.waitUntil(dropStaleCaches().then(precache).catch(toldIfFull));
	} else if (message?.type === 'kring:keep' && typeof message.href === 'string') {
		event.waitUntil(fetchAndKeep(message.href).catch(toldIfFull));
	}
});

/**
 * A page or asset could not be kept because the device is full: every open page says so in words
 * (OfflineStatus.svelte), since what the member opens now will not open offline. Other failures
 * (the network going away mid-fetch) stay silent: the kept copies are still there.
 */
async function toldIfFull(error: unknown): Promise<void> {
	if (!isQuotaError(error)) return;
	for (const client of await sw.clients.matchAll({ type: 'window' }))
		client.postMessage({ type: STORAGE_FULL_MESSAGE });
}

async function fetchAndKeep(href: string): Promise<void> {
	const url = new URL(href, sw.location.origin);
	const request = new Request(url, { credentials: 'same-origin' });
	const facts = { method: 'GET', mode: 'navigate', url: url.href };
	if (!isPageNavigation(facts, sw.location.origin)) return;
	const response = await fetch(request);
	if (isKeptPage(facts, response, sw.location.origin)) await keep(request, response);
}

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin === sw.location.origin && ASSET_PATHS.has(url.pathname)) {
		event.respondWith(asset(request));
	} else if (isPageNavigation(request, sw.location.origin)) {
		event.respondWith(page(request, event));
	}
});

async function asset(request: Request): Promise<Response> {
	const cached = await caches.match(request, { cacheName: ASSETS });
	return cached ?? fetch(request);
}

async function page(request: Request, event: FetchEvent): Promise<Response> {
	const kept = await caches.match(request, { cacheName: PAGES, ignoreVary: true });
	const network = fetch(request).then((response) => {
		if (isKeptPage(request, response, sw.location.origin)) {
			event.waitUntil(keep(request, response.clone()).catch(toldIfFull));
		}
		return response;
	});
	try {
		if (kept === undefined) return await network;
		return await Promise.race([network, slow()]);
	} catch {
		if (kept !== undefined) return kept;
		return (await caches.match(OFFLINE_PATH, { cacheName: PAGES })) ?? Response.error();
	}
}

const slow = (): Promise<never> =>
	new Promise((_resolve, reject) => setTimeout(() => reject(new Error('slow')), SLOW_NETWORK_MS));

/** Keeps a page with the time it was fetched (the offline banner shows it). */
async function keep(request: Request, response: Response): Promise<void> {
	if (superseded()) return;
	const headers = new Headers(response.headers);
	headers.set(CACHED_AT_HEADER, new Date().toISOString());
	const body = await response.blob();
	await (
		await caches.open(PAGES)
	).put(
		request.url,
		new Response(body, { status: response.status, statusText: response.statusText, headers })
	);
}

// Web Push (src/lib/sw/push.ts): the notice, and its page when tapped.
sw.addEventListener('push', onPush);
sw.addEventListener('notificationclick', onNotificationClick);
