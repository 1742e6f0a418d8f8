import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { openWorkingDay } from './demo';

// Kring at a client's door with no network: the service worker (src/service-worker.ts) against the
// built server, in Chromium with service workers allowed (Playwright's default), at phone width.
// Screenshots land in test-results/offline/ for a person to look at.

const PHONE = { width: 390, height: 844 };
const PASSWORD = 'kring-demo-2026';
const SHOTS = 'test-results/offline';

async function logIn(context: BrowserContext, email: string, labels: Labels): Promise<Page> {
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel(labels.email).fill(email);
	await page.getByLabel(labels.password).fill(PASSWORD);
	await page.getByRole('button', { name: labels.login }).click();
	await expect(page.locator('h1').first()).toBeVisible();
	await expect(page).not.toHaveURL(/\/login/);
	return page;
}
type Labels = { email: string; password: string; login: string };
const FRENCH: Labels = { email: 'Adresse e-mail', password: 'Mot de passe', login: 'Se connecter' };
const ENGLISH: Labels = { email: 'Email address', password: 'Password', login: 'Log in' };

/** Until the service worker controls this page (it claims open pages as it activates). */
async function controlled(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller !== null) return;
		await new Promise((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
		);
	});
}

/**
 * A member's phone (390 px, its own browser context), logged in (in French unless `english`), its
 * pages controlled by the service worker, so that what it opens is kept on the device.
 */
async function keptPhone(
	browser: Browser,
	email: string,
	{ english = false, baseURL }: { english?: boolean; baseURL?: string } = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: PHONE, ...(baseURL && { baseURL }) });
	if (english)
		await context.addCookies([
			{ name: 'kring_lang', value: 'en', url: test.info().project.use.baseURL! }
		]);
	const page = await logIn(context, email, english ? ENGLISH : FRENCH);
	await controlled(page);
	return { context, page };
}

/** Opens a page through the worker, and waits until the device keeps a copy of it. */
async function openAndKeep(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await expect.poll(() => isKept(page, path), { timeout: 30_000 }).toBe(true);
}

const isKept = (page: Page, path: string) =>
	page.evaluate(
		async (href) => (await caches.match(href, { ignoreVary: true })) !== undefined,
		new URL(path, page.url()).href
	);

/**
 * A plain HTTP proxy in front of the e2e server, for a deployment the browser cannot tell from a
 * real one: until `deploy`, it forwards everything (WebSockets included, with the origin the
 * server expects); after, it answers `/service-worker.js` itself with the new build's script, to
 * every fetch of it, the browser's own update checks included.
 */
async function deployment(upstream: string) {
	let script: string | null = null;
	const target = new URL(upstream);
	const forward = (request: http.IncomingMessage) =>
		http.request({
			host: target.hostname,
			port: target.port,
			method: request.method,
			path: request.url,
			headers: {
				...request.headers,
				host: target.host,
				...(request.headers.origin && { origin: target.origin })
			}
		});
	const proxy = http.createServer((request, response) => {
		if (script !== null && new URL(request.url!, target).pathname === '/service-worker.js') {
			response.writeHead(200, {
				'content-type': 'text/javascript; charset=utf-8',
				'cache-control': 'no-cache'
			});
			response.end(script);
			return;
		}
		const outgoing = forward(request);
		outgoing.on('response', (incoming) => {
			response.writeHead(incoming.statusCode!, incoming.headers);
			incoming.pipe(response);
		});
		outgoing.on('error', () => response.destroy());
		request.pipe(outgoing);
	});
	proxy.on('upgrade', (request, socket, head) => {
		const outgoing = forward(request);
		outgoing.on('upgrade', (incoming, upstreamSocket, upstreamHead) => {
			const lines = [`HTTP/1.1 ${incoming.statusCode} ${incoming.statusMessage}`];
			for (let i = 0; i < incoming.rawHeaders.length; i += 2)
				lines.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
			socket.write(lines.join('\r\n') + '\r\n\r\n');
			socket.write(upstreamHead);
			upstreamSocket.write(head);
			upstreamSocket.pipe(socket).pipe(upstreamSocket);
			upstreamSocket.on('error', () => socket.destroy());
			socket.on('error', () => upstreamSocket.destroy());
		});
		outgoing.on('response', () => socket.destroy());
		outgoing.on('error', () => socket.destroy());
		outgoing.end();
	});
	proxy.listen(0, '127.0.0.1');
	await once(proxy, 'listening');
	return {
		origin: `http://localhost:${(proxy.address() as AddressInfo).port}`,
		/** From now on, the worker script is this build's, as `change` rewrites it. */
		async deploy(change: (script: string) => string) {
			const current = await fetch(new URL('/service-worker.js', target));
			script = change(await current.text());
		},
		close: () => {
			proxy.closeAllConnections();
			return new Promise((resolve) => proxy.close(resolve));
		}
	};
}

const cacheNames = (page: Page) => page.evaluate(() => caches.keys());
const kringDatabases = (page: Page) =>
	page.evaluate(async () =>
		(await indexedDB.databases()).map((db) => db.name ?? '').filter((n) => n.startsWith('kring:'))
	);

test('a page once opened opens again offline; one never opened says so in French; logout empties the device', async ({
	browser
}) => {
	const { context, page } = await keptPhone(browser, 'aicha.benali@demo.kring.example');

	// Online: the team page and its caseload, reached by links inside the app (data requests only:
	// the page asks the worker to keep them whole), then a client's card, loaded whole.
	await page.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
	await expect(page.getByRole('link', { name: 'Décisions' })).toBeVisible();
	const teamPath = new URL(page.url()).pathname;
	await page.getByRole('link', { name: 'Personnes suivies' }).first().click();
	await expect(page).toHaveURL(new RegExp(`${teamPath}/caseload$`));
	for (const path of [teamPath, `${teamPath}/caseload`]) {
		await expect.poll(() => isKept(page, path), { message: path, timeout: 30_000 }).toBe(true);
	}
	// Two clients' cards, loaded whole: the device keeps both.
	const cardPaths = [
		...new Set(
			await page
				.locator(
					'a[href*="/caseload/"]:not([href$=".csv"]):not([href$="access-log"]):not([href$="/import"])'
				)
				.evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
		)
	].slice(0, 2);
	expect(cardPaths).toHaveLength(2);
	const clientNames: string[] = [];
	for (const path of cardPaths) {
		expect(path).toMatch(/\/caseload\/[^/]+$/);
		await openAndKeep(page, path);
		await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
		clientNames.push((await page.locator('h1').first().textContent())!.trim());
	}
	const cardHeading = clientNames.at(-1)!;
	expect(cardHeading.length).toBeGreaterThan(0);
	expect(new Set(clientNames).size).toBe(2);

	// No network; reload: the card renders from the device, and one notice says it: offline, from
	// this device as of when, edits kept here. The layout's banner and the status pill step aside.
	await context.setOffline(true);
	await page.reload();
	await expect(page.locator('h1').first()).toHaveText(cardHeading);
	const notice = page.locator('[data-offline-banner]');
	await expect(notice).toHaveCount(1);
	await expect(notice).toHaveAttribute('role', 'status');
	await expect(notice).toContainText(/Hors ligne · copie de cet appareil, à jour du .+/);
	await expect(notice).toContainText('Vos modifications restent ici');
	await expect(page.getByRole('status').filter({ hasText: /hors ligne/i })).toHaveCount(1);
	await page.screenshot({ path: `${SHOTS}/card-offline-390.png`, fullPage: true });

	// A page never opened on this device: the offline page, in French, at the address asked for.
	await page.goto(`${teamPath}/decisions`);
	await expect(page.getByRole('heading', { name: 'Pas de réseau pour cette page' })).toBeVisible();
	await expect(page).toHaveURL(new RegExp(`${teamPath}/decisions$`));
	// It lists what this device keeps, each entry saying what it is: the two cards by their
	// clients' names (not twice "Personnes suivies"), the team page by the team's name.
	const kept = page.locator('[data-offline-page] li');
	for (const name of clientNames)
		await expect(kept.filter({ hasText: name }).getByRole('link')).toHaveCount(1);
	const labels = (await kept.locator('a > span:first-child').allTextContents()).map((t) =>
		t.trim()
	);
	expect(labels).toContain('Équipe Croix-Rousse');
	expect(new Set(labels).size).toBe(labels.length);
	await page.screenshot({ path: `${SHOTS}/offline-page-fr-390.png`, fullPage: true });

	// A link followed inside the app while offline ends on the offline page too, not a broken one.
	await page.goto(teamPath);
	await page.getByRole('link', { name: 'Décisions' }).click();
	await expect(page.getByRole('heading', { name: 'Pas de réseau pour cette page' })).toBeVisible();

	// Back online, log out: no cache and no Kring database is left on the device.
	await context.setOffline(false);
	await page.goto(`${teamPath}/caseload`);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	expect((await cacheNames(page)).length).toBeGreaterThan(0);
	expect((await kringDatabases(page)).length).toBeGreaterThan(0);
	await page.getByRole('button', { name: 'Aïcha Benali', exact: true }).click();
	await page.getByRole('menuitem', { name: 'Se déconnecter' }).click();
	await expect(page).toHaveURL(/\/login$/);
	await expect.poll(() => cacheNames(page)).toEqual([]);
	await expect.poll(() => kringDatabases(page)).toEqual([]);
	await context.close();
});

test('a nurse offline opens a kept card from her day, writes a transmission, and her colleague gets it once she is back online', async ({
	browser
}) => {
	// Aïcha's phone, online: her day, then the first client's card, which the device keeps.
	const { context, page } = await keptPhone(browser, 'aicha.benali@demo.kring.example');
	const dayPath = await openWorkingDay(page, 'Aïcha Benali');
	const firstVisit = page
		.getByRole('list', { name: /^Journée du/ })
		.locator(':scope > li')
		.first();
	await expect(firstVisit).toBeVisible();
	await expect.poll(() => isKept(page, dayPath), { timeout: 30_000 }).toBe(true);
	const client = (await firstVisit.getByRole('heading', { level: 2 }).textContent())!.trim();
	await firstVisit.getByRole('link', { name: 'Ouvrir la fiche' }).click();
	await expect(page).toHaveURL(/\/caseload\/[^/]+$/);
	const cardPath = new URL(page.url()).pathname;
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	await expect.poll(() => isKept(page, cardPath), { timeout: 30_000 }).toBe(true);

	// In the stairwell: no network. The day opens from the device, then the card from the day.
	await context.setOffline(true);
	await page.goto(dayPath);
	await expect(page.getByRole('heading', { name: /Ma journée/ })).toBeVisible();
	await expect(page.locator('[data-offline-banner]')).toBeVisible();
	await page
		.getByRole('list', { name: /^Journée du/ })
		.locator(':scope > li')
		.first()
		.getByRole('link', { name: 'Ouvrir la fiche' })
		.click();
	await expect(page).toHaveURL(new RegExp(`${cardPath}$`));
	await expect(page.locator('h1').first()).toHaveText(client);
	await expect(page.getByLabel(/Nouvelle transmission/)).toBeVisible();
	const text = `Porte du bas bloquée, passer par la cour (${Date.now()})`;
	await page.getByLabel(/Nouvelle transmission/).fill(text);
	await page.getByLabel(/Urgent\s:\sà lire/).check();
	await page.getByRole('button', { name: 'Laisser la transmission' }).click();
	const mine = page.locator('li[data-transmission]', { hasText: text });
	await expect(mine).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/card-offline-written-390.png`, fullPage: true });

	// Back online: it goes to the server, and Julien's browser shows it, new and unread for him.
	await context.setOffline(false);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible({
		timeout: 30_000
	});
	const { context: other, page: julien } = await keptPhone(
		browser,
		'julien.moreau@demo.kring.example'
	);
	await julien.goto(cardPath);
	const theirs = julien.locator('li[data-transmission]', { hasText: text });
	await expect(theirs).toBeVisible();
	await expect(theirs.getByText('Nouveau')).toBeVisible();
	await expect(theirs.getByText('Urgent')).toBeVisible();
	// Nothing lost: the same words, once.
	await expect(theirs).toHaveCount(1);
	await expect(theirs).toContainText(text);
	// Read once it has been on his screen: Aïcha's card stops listing him.
	await theirs.scrollIntoViewIfNeeded();
	await expect(mine.locator('[data-unread-by]')).not.toContainText('Julien Moreau');
	await other.close();
	await context.close();
});

test('when the device is full, the member is told in words that pages are no longer kept', async ({
	browser
}) => {
	const { context, page } = await keptPhone(browser, 'camille.lefevre@demo.kring.example');
	await openAndKeep(page, '/');
	// The phone runs out of room for this site (Chromium's own quota, made tiny).
	const cdp = await context.newCDPSession(page);
	const origin = new URL(page.url()).origin;
	await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1 });
	try {
		await page.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
		// French typography: a no-break space before the colon.
		await expect(page.locator('[data-storage-full]')).toHaveText(
			/Plus de place sur cet appareil\s: les pages que vous ouvrez ne sont plus gardées/
		);
		await page.screenshot({ path: `${SHOTS}/storage-full-390.png`, fullPage: true });
	} finally {
		// The quota belongs to the browser, which the next tests share: give it back even on failure.
		await cdp.send('Storage.overrideQuotaForOrigin', { origin });
		await context.close();
	}
});

test('the offline page speaks English to an English-speaking member', async ({ browser }) => {
	const { context, page } = await keptPhone(browser, 'isabelle.martin@demo.kring.example', {
		english: true
	});
	await openAndKeep(page, '/');
	await context.setOffline(true);
	await page.goto('/account');
	await expect(page.getByRole('heading', { name: 'No network for this page' })).toBeVisible();
	await expect(page.getByText('Available on this device')).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/offline-page-en-390.png`, fullPage: true });
	await context.close();
});

// A new deployment, played by a real HTTP proxy in front of the server (`deployment` below): the
// browser opens Kring through it, and "deploying" makes it answer the worker script of this build
// under another build version: new bytes, so the browser installs it as a new worker, and new
// cache names, so the old build's caches must go (a second full build would take minutes on these
// machines). Playwright's routing is not enough: it sees the script fetched by a registration but
// not the browser's own update checks (after a navigation, or `registration.update()`), which then
// fetched the old script, and the browser reinstalled the old build as if it had been deployed back.
test('a new version of the worker takes over cleanly: old caches go, the page offers a reload', async ({
	browser
}) => {
	const server = await deployment(test.info().project.use.baseURL!);
	const { context, page } = await keptPhone(browser, 'camille.lefevre@demo.kring.example', {
		baseURL: server.origin
	});
	await openAndKeep(page, '/');
	const before = await cacheNames(page);
	const version = before.find((n) => n.startsWith('kring-assets-'))!.slice('kring-assets-'.length);

	const next = `${version}-next`;
	await server.deploy((script) => {
		const body = script.replaceAll(JSON.stringify(version), JSON.stringify(next));
		expect(body).toContain(next);
		return body;
	});
	await page.evaluate(async () => {
		const changed = new Promise((resolve) =>
			navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
		);
		await (await navigator.serviceWorker.ready).update();
		await changed;
	});

	// It takes over: the page says so and offers a reload.
	await expect(page.locator('[data-update-banner]')).toContainText(
		'Une nouvelle version de Kring est prête.'
	);
	expect(await cacheNames(page)).toContain(`kring-assets-${next}`);
	await page.screenshot({ path: `${SHOTS}/update-ready-390.png`, fullPage: true });

	// The old page fetches no new parts: the next navigation is a full load of the new build (the
	// old page's window goes with its marker), and the page works.
	await page.evaluate(() => ((window as unknown as { oldPage: boolean }).oldPage = true));
	await page.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
	await expect(page.getByRole('link', { name: 'Décisions' })).toBeVisible();
	expect(await page.evaluate(() => 'oldPage' in window)).toBe(false);
	await expect(page.locator('[data-update-banner]')).toHaveCount(0);
	// Only the new build's caches remain.
	await expect
		.poll(async () => (await cacheNames(page)).filter((n) => !n.includes(next)))
		.toEqual([]);
	expect(await cacheNames(page)).toContain(`kring-assets-${next}`);
	await context.close();
	await server.close();
});
