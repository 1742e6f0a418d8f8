import { expect, test, type Browser, type Page } from '@playwright/test';
import { formatClock } from '../../src/lib/domain/format';
import { instantToWallClock } from '../../src/lib/domain/time-zone';
import { addDays, daysBetween, mondayOfDate, weekOf } from '../../src/lib/domain/week';

const DEMO_PASSWORD = 'kring-demo-2026';

/**
 * What each demo page did with its live documents (sockets opened and closed, with the frames each
 * carried), its navigations and its console errors, with the seconds since it opened: printed when
 * a test that asked for it fails (see `printLiveTrailsOnFailure`), since a live step that never
 * arrives says nothing on its own about which side lost it.
 */
const trails: { who: string; lines: string[] }[] = [];

function recordLiveTrail(page: Page, who: string): void {
	const trail = { who, lines: [] as string[] };
	trails.push(trail);
	const opened = Date.now();
	const log = (line: string) =>
		trail.lines.push(`${((Date.now() - opened) / 1000).toFixed(1)} s ${line}`);
	page.on('websocket', (ws) => {
		const name = decodeURIComponent(new URL(ws.url()).pathname);
		let sent = 0;
		let received = 0;
		log(`socket open ${name}`);
		ws.on('framesent', () => sent++);
		ws.on('framereceived', () => received++);
		ws.on('socketerror', (error) => log(`socket error ${name}: ${error}`));
		ws.on('close', () => log(`socket closed ${name} (${sent} frames sent, ${received} received)`));
	});
	page.on('framenavigated', (frame) => {
		if (frame === page.mainFrame())
			log(`at ${new URL(frame.url()).pathname}${new URL(frame.url()).search}`);
	});
	page.on('console', (message) => {
		if (message.type() === 'error' || message.type() === 'warning')
			log(`console ${message.type()}: ${message.text()}`);
	});
	page.on('close', () => log('page closed'));
}

/** Prints every demo page's live trail, with the sync status its pages show now, if the test failed. */
export function printLiveTrailsOnFailure(): void {
	test.beforeEach(() => void trails.splice(0));
	test.afterEach(async ({ browser }, testInfo) => {
		if (testInfo.status === testInfo.expectedStatus) return;
		const statuses = await Promise.all(
			browser.contexts().flatMap((context) =>
				context.pages().map(async (page) => {
					const shown = await page
						.locator('[data-status]')
						.evaluateAll((els) => els.map((el) => el.getAttribute('data-status')))
						.catch(() => ['(page gone)']);
					return `${page.url()}: ${shown.join(', ') || '(no live status)'}`;
				})
			)
		);
		console.error(
			[
				'--- live trails ---',
				...trails.flatMap((t) => [t.who, ...t.lines.map((l) => `  ${l}`)]),
				'--- sync status shown now ---',
				...statuses
			].join('\n')
		);
	});
}

/** A new browser context logged in as a demo user, on their home page. */
export async function logInAsDemo(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	recordLiveTrail(page, email);
	await page.goto('/login');
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	// Logging in hashes a password: generous on a machine shared with other runs.
	await expect(
		page.getByRole('heading', { name: /Mes équipes|Équipes que j’accompagne/ }).first()
	).toBeVisible({ timeout: 30_000 });
	return page;
}

/** The same, then on a Croix-Rousse live page once it says everything is saved. */
export async function openCroixRousse(
	browser: Browser,
	email: string,
	page?: 'caseload'
): Promise<Page> {
	const p = await logInAsDemo(browser, email);
	await p.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
	if (page === 'caseload') await p.getByRole('link', { name: 'Personnes suivies' }).click();
	// The live document may take a while to sync on a loaded machine.
	await expect(p.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible({
		timeout: 30_000
	});
	return p;
}

/** A visit a sick call "from now" will take away: its day, start (minutes) and how long to be off. */
export interface VisitToCome {
	/** The visit's day (YYYY-MM-DD, Paris): today, or tomorrow late at night. */
	day: string;
	start: number;
	/** Today's date as the server reads it when the visit was chosen. */
	today: string;
	/** The sick call's "until" choice that takes the visit away (tonight, or tomorrow night). */
	until: 'ce soir' | 'demain soir';
}

/**
 * A start, after now, when the demo's rounds leave the carers free: today's first of `slots` that is
 * at least half an hour away, or, late at night when none is left today, tomorrow's first, with a
 * sick call running until tomorrow night. The server decides what "now" and "today" are (Paris
 * time, its own clock), so the test picks a day that always has room rather than faking the
 * browser's clock: it never depends on the hour it runs at.
 */
export function visitToCome(slots: readonly number[], now = new Date()): VisitToCome {
	const { date, minutes } = instantToWallClock(now);
	const later = slots.find((slot) => slot >= minutes + 30);
	if (later !== undefined) return { day: date, start: later, today: date, until: 'ce soir' };
	return { day: addDays(date, 1), start: slots[0]!, today: date, until: 'demain soir' };
}

/** "HH:MM" for minutes since midnight. */
const clockOf = (minutes: number): string =>
	`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A start (minutes since midnight) as Kring's French pages write it: "9 h 30". */
export const clockText = (start: number): string =>
	formatClock(Math.floor(start / 60), start % 60, 'fr');

/** A visit's block on the rota grid: its client at its start, as the grid writes it. */
const visitBlock = (page: Page, client: string, start: number) =>
	page.locator('button[id^="block-"]', { hasText: client }).filter({ hasText: clockText(start) });

/** A visit added on the grid: its client, and its id (the same on every page, whoever holds it). */
export interface AddedVisit {
	client: string;
	id: string;
}

/** The block of one visit on the rota grid open on `page`, in whichever row it now sits. */
export const blockOf = (page: Page, visit: AddedVisit) => page.locator(`[id="block-${visit.id}"]`);

/** The ids of the blocks the grid shows now for `client` at `start`, on any day and in any row. */
const blockIds = (page: Page, client: string, start: number) =>
	visitBlock(page, client, start).evaluateAll((els) =>
		els.map((el) => el.id.slice('block-'.length))
	);

/**
 * Adds `carer` a visit on `date` at `start` (minutes since midnight) to the first client listed, on
 * the rota week open on `page` (it holds `date`); returns the client and the new visit's id once the
 * grid shows the visit and says everything is saved. The id, not the client and time, tells the
 * visit from another test's on the same week (an earlier test may have added the same client at
 * the same time on another day).
 */
export async function addVisitOnGrid(
	page: Page,
	carer: string,
	date: string,
	start: number
): Promise<AddedVisit> {
	const person = page.getByRole('combobox', { name: /^Personne/ });
	const client = (await person.locator('option').allTextContents()).filter((t) => t !== '—')[0]!;
	const day = String(daysBetween(mondayOfDate(date), date));
	// On a phone the grid shows one day, chosen above it: the visit's, so the new block shows.
	const days = page.getByRole('combobox', { name: 'Jour' });
	if ((await days.count()) > 1) await days.first().selectOption(day);
	const before = new Set(await blockIds(page, client, start));
	await person.selectOption({ label: client });
	await page
		.getByRole('combobox', { name: /^Intervenant·e/ })
		.last()
		.selectOption({ label: carer });
	await page.getByRole('combobox', { name: 'Jour' }).last().selectOption(day);
	await page.getByLabel('Début').fill(clockOf(start));
	await page.getByRole('button', { name: 'Ajouter un passage' }).click();
	let added: string[] = [];
	await expect
		.poll(
			async () => (added = (await blockIds(page, client, start)).filter((id) => !before.has(id)))
		)
		.toHaveLength(1);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	return { client, id: added[0]! };
}

/**
 * Opens "Ma journée" on `page` (logged in as the demo carer `carer`) once it holds at least one
 * visit today, and returns its path. The demo's rounds give each carer usual rest days, so on one of
 * hers the team first adds her a visit today on the rota grid (at five past noon: no demo visit
 * starts then), as a planner would: the test never depends on the weekday it runs on.
 */
export async function openWorkingDay(page: Page, carer: string): Promise<string> {
	const passages = page.getByText(/^\d+ passages?$/);
	const open = async () => {
		await page.goto('/day');
		await expect(page).toHaveURL(/\/teams\/[a-z2-7]+\/day$/);
		// The day's documents come over the WebSocket: generous on a machine shared with other runs.
		await expect(passages).toBeVisible({ timeout: 30_000 });
		return new URL(page.url()).pathname;
	};
	const dayPath = await open();
	if ((await passages.textContent())?.trim() !== '0 passage') return dayPath;
	const today = instantToWallClock(new Date()).date;
	await page.goto(`${dayPath.replace(/\/day$/, '')}/rota/${weekOf(today)}`);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible({
		timeout: 30_000
	});
	await addVisitOnGrid(page, carer, today, 12 * 60 + 5);
	await open();
	await expect(passages).not.toHaveText('0 passage');
	return dayPath;
}
