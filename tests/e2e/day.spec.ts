import { expect, test, type Page } from '@playwright/test';
import { instantToWallClock } from '../../src/lib/domain/time-zone';
import { addDays, weekOf } from '../../src/lib/domain/week';
import { addVisitOnGrid, logInAsDemo, openWorkingDay } from './demo';

// "Ma journée" on a phone, online: the demo member's own visits in order with what is needed at
// the door; a colleague's urgent note reaches them as new, and is read once it has been on screen.

const AICHA = 'aicha.benali@demo.kring.example';
const JULIEN = 'julien.moreau@demo.kring.example';

async function openDay(page: Page): Promise<void> {
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/day');
	await expect(page).toHaveURL(/\/teams\/[a-z2-7]+\/day$/);
	await expect(page.getByRole('heading', { name: /Ma journée/ })).toBeVisible();
	// The day's documents come over the WebSocket: generous on a machine shared with other runs.
	await expect(page.getByText(/^\d+ passages?$/)).toBeVisible({ timeout: 20_000 });
}

/** Adds Aïcha a visit on `date` at `start` on the team's rota grid; returns its client. */
async function addHerVisit(page: Page, date: string, start: number): Promise<string> {
	await page.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
	await page.waitForURL(/\/teams\/[^/]+$/);
	await page.goto(`${new URL(page.url()).pathname}/rota/${weekOf(date)}`);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible({
		timeout: 20_000
	});
	return (await addVisitOnGrid(page, 'Aïcha Benali', date, start)).client;
}

const visitsOf = (page: Page) =>
	page.getByRole('list', { name: /^Journée du/ }).locator(':scope > li');

test('the day lists the member’s visits in order, each with its address and card', async ({
	browser
}) => {
	const aicha = await logInAsDemo(browser, AICHA);
	await aicha.setViewportSize({ width: 390, height: 844 });
	await openWorkingDay(aicha, 'Aïcha Benali');
	await expect(aicha.getByRole('heading', { name: /Ma journée/ })).toBeVisible();
	const visits = visitsOf(aicha);
	await expect(visits.first()).toBeVisible();
	const count = await visits.count();
	expect(count).toBeGreaterThan(0);
	await expect(aicha.getByText(`${count} passage${count > 1 ? 's' : ''}`)).toBeVisible();
	// In the order of the round.
	const starts = await visits.evaluateAll((items) =>
		items.map((li) => {
			const match = /(\d+)\s*h\s*(\d+)/.exec(li.textContent ?? '');
			return match ? Number(match[1]) * 60 + Number(match[2]) : -1;
		})
	);
	expect(starts).toEqual([...starts].sort((a, b) => a - b));
	// The first visit: address as a maps link, and one tap to the card.
	const first = visits.first();
	await expect(first.getByRole('link', { name: /^Itinéraire vers / })).toHaveAttribute(
		'href',
		/^https:\/\/www\.google\.com\/maps\/search\/\?api=1&query=/
	);
	// On a phone the list starts near the top, not under a long header.
	const top = await first.boundingBox();
	expect(top!.y).toBeLessThan(400);
	await first.getByRole('link', { name: 'Ouvrir la fiche' }).click();
	await expect(aicha).toHaveURL(/\/caseload\/[A-Za-z0-9-]+$/);
	await expect(aicha.getByRole('heading', { name: 'Pour entrer' })).toBeVisible();
	// Read first: the address is text until "Modifier".
	await expect(aicha.getByLabel('Adresse')).toHaveCount(0);

	// Tomorrow is one tap away.
	await aicha.goBack();
	await aicha.getByRole('link', { name: 'Demain' }).click();
	await expect(aicha).toHaveURL(/\?date=\d{4}-\d{2}-\d{2}$/);
	// Whatever the weekday: a day she rests says "0 passage" (and why the list is empty).
	await expect(aicha.getByText(/^\d+ passages?$/)).toBeVisible();
	await aicha.goBack();
	await aicha.screenshot({ path: 'test-results/day/day-390.png', fullPage: true });
	await aicha.context().close();
});

// The same note shows twice on the day (in the urgent list at the top and under the visit), and the
// member may have the day open on two screens. Once it has been read, on any of them, both copies
// keep their "Nouveau" mark until she comes back to the page: a mark never vanishes under her eyes,
// and the two copies always agree.
test('a colleague’s urgent note is new and unread on the member’s day, and read once seen', async ({
	browser
}) => {
	// Three browsers (her phone, her tablet, Julien's phone) on a machine shared with other runs.
	test.setTimeout(150_000);
	const aicha = await logInAsDemo(browser, AICHA);
	// A client she visits tomorrow: within the 48 hours that bring urgent notes to the top. The
	// demo's rounds give her usual rest days, so whatever the weekday the test runs on, the team
	// adds her a visit tomorrow on the rota grid first (at a time no demo visit starts).
	const tomorrow = addDays(instantToWallClock(new Date()).date, 1);
	const client = await addHerVisit(aicha, tomorrow, 12 * 60 + 5);
	await openDay(aicha);
	await aicha.getByRole('link', { name: 'Demain' }).click();
	await expect(aicha).toHaveURL(new RegExp(`\\?date=${tomorrow}$`));
	const first = visitsOf(aicha).filter({ hasText: client }).first();
	await expect(first).toBeVisible();
	const cardPath = await first.getByRole('link', { name: 'Ouvrir la fiche' }).getAttribute('href');
	expect(cardPath).toMatch(/\/caseload\//);
	// Her tablet has the same day open.
	const tablet = await logInAsDemo(browser, AICHA);
	await tablet.goto(aicha.url());
	await expect(visitsOf(tablet).first()).toBeVisible();

	// Julien, on his own phone, leaves an urgent note on that client's card.
	const julien = await logInAsDemo(browser, JULIEN);
	await julien.goto(cardPath!);
	await expect(julien.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	const text = `Chute dans la salle de bains, surveiller la hanche (${Date.now()})`;
	await julien.getByLabel(/Nouvelle transmission/).fill(text);
	await julien.getByLabel(/Urgent\s:\sà lire/).check();
	await julien.getByRole('button', { name: 'Laisser la transmission' }).click();
	const written = julien.locator('li[data-transmission]', { hasText: text });
	await expect(written).toBeVisible();
	// Nobody has read it yet but those with a screen on it: Aïcha's two screens may already have
	// (that race is hers to win), Camille, who is not looking, has not.
	await expect(written.locator('[data-unread-by]')).toContainText('Camille Lefèvre');

	// On Aïcha's day: at the top among the urgent notes, and under the visit, both marked new.
	const urgent = aicha.getByRole('region', { name: /Urgent avant vos prochains passages/ });
	const atTop = urgent.locator('li[data-transmission]', { hasText: text });
	const underVisit = first.locator('li[data-transmission]', { hasText: text });
	for (const copy of [atTop, underVisit]) {
		await expect(copy).toBeVisible();
		await expect(copy.getByText('Nouveau')).toBeVisible();
		await expect(copy.getByText('Urgent')).toBeVisible();
	}

	await aicha.screenshot({ path: 'test-results/day/urgent-note-390.png', fullPage: true });

	// It has been on her screens: Julien's card no longer counts her among those who have not read it.
	await expect(written.locator('[data-unread-by]')).not.toContainText('Aïcha Benali');
	await expect(written.locator('[data-unread-by]')).toContainText('Camille Lefèvre');
	// Once her phone has that receipt (it comes before Julien's next note), both copies still say
	// "Nouveau" there, on the phone and on the tablet.
	const next = `Famille prévenue (${Date.now()})`;
	await julien.getByLabel(/Nouvelle transmission/).fill(next);
	await julien.getByRole('button', { name: 'Laisser la transmission' }).click();
	for (const screen of [aicha, tablet]) {
		const visit = visitsOf(screen).filter({ hasText: client }).first();
		await expect(visit.locator('li[data-transmission]', { hasText: next })).toBeVisible();
		await expect(
			screen.locator('li[data-transmission]', { hasText: text }).getByText('Nouveau')
		).toHaveCount(2);
	}

	// Coming back to the day: still at the top until she has been there, but no longer new.
	await aicha.reload();
	await expect(urgent.locator('li[data-transmission]', { hasText: text })).toBeVisible();
	await expect(underVisit).toBeVisible();
	await expect(
		aicha.locator('li[data-transmission]', { hasText: text }).getByText('Nouveau')
	).toHaveCount(0);
	// And on her next visit to the card it is no longer new.
	await aicha.goto(cardPath!);
	const onCard = aicha.locator('li[data-transmission]', { hasText: text });
	await expect(onCard).toBeVisible();
	await expect(onCard.getByText('Nouveau')).toHaveCount(0);
	for (const p of [aicha, tablet, julien]) await p.context().close();
});
