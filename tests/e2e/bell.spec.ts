import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { weekOf } from '../../src/lib/domain/week';
import { addVisitOnGrid, logInAsDemo, visitToCome } from './demo';

// The bell on two browsers: Karim (on his phone) calls in sick with a visit still to come today;
// Hélène's bell (at the office, page left open) counts the news when she comes back to the tab, and
// the notice opens the rota week to cover. Villeurbanne Nord, so the Croix-Rousse specs are untouched.

const SHOTS = 'test-results/screens';
const TEAM = /Équipe Villeurbanne Nord/;

/** Starts when the demo's rounds leave the carers free. */
const FREE_SLOTS = [12 * 60 + 30, 16 * 60 + 30, 21 * 60 + 30, 23 * 60 + 15];

/** What the bell says it counts (its accessible name carries the number of unread notices). */
async function unread(page: Page): Promise<number> {
	const label = (await page.getByTestId('notification-bell').getAttribute('aria-label')) ?? '';
	return Number(/(\d+)/.exec(label)?.[1] ?? 0);
}

test('a colleague’s sick call raises the bell on another browser; the notice opens the rota', async ({
	browser
}) => {
	mkdirSync(SHOTS, { recursive: true });
	// Today if a visit can still come today, else tomorrow (and a sick call until tomorrow night).
	const visit = visitToCome(FREE_SLOTS);
	const week = weekOf(visit.day);

	const karim = await logInAsDemo(browser, 'karim.bouzid@demo.kring.example');
	await karim.setViewportSize({ width: 390, height: 844 });
	const helene = await logInAsDemo(browser, 'helene.dubois@demo.kring.example');
	await helene.setViewportSize({ width: 1280, height: 900 });

	// Hélène's team page is open; her bell shows what she has not read yet.
	await helene.getByRole('link', { name: TEAM }).click();
	await helene.waitForURL(/\/teams\/[^/]+$/);
	const teamPath = new URL(helene.url()).pathname;
	const before = await unread(helene);

	// Karim has a visit still to come (added on the grid), then is off sick from now.
	await karim.goto(`${teamPath}/rota/${week}`);
	await expect(karim.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	await addVisitOnGrid(karim, 'Karim Bouzid', visit.day, visit.start);
	await karim.getByRole('button', { name: 'Je suis malade à partir de maintenant' }).click();
	if (visit.until !== 'ce soir')
		await karim.getByRole('dialog').getByLabel('Jusqu’à').selectOption({ label: visit.until });
	await karim.getByRole('button', { name: 'Confirmer l’arrêt' }).click();
	// The server marks every visit of his still to come, then tells colleagues: generous.
	await expect(karim.getByText(/Arrêt enregistré\. Visites à couvrir/)).toBeVisible({
		timeout: 30_000
	});

	// Hélène comes back to her tab: the bell asks again and counts the news.
	await expect
		.poll(async () => {
			await helene.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
			return unread(helene);
		})
		.toBeGreaterThan(before);
	await expect(helene.getByTestId('notification-bell')).toHaveAccessibleName(
		/^Notifications, (1 non lue|\d+ non lues)$/
	);

	// The list names Karim and his visits to cover; the notice opens the week on the rota.
	await helene.getByTestId('notification-bell').click();
	await helene.waitForURL('**/notifications');
	const notice = helene.getByRole('button', {
		name: /Karim Bouzid ne peut pas venir\. Visites à couvrir/
	});
	await expect(notice).toBeVisible();
	await helene.screenshot({ path: `${SHOTS}/notifications-1280.png`, fullPage: true });
	await helene.setViewportSize({ width: 390, height: 844 });
	await helene.screenshot({ path: `${SHOTS}/notifications-390.png`, fullPage: true });
	// At 390 px the text of a notice takes the row's width (not squeezed beside its button).
	const row = helene.getByRole('listitem').filter({ has: notice });
	const [rowBox, textBox] = [await row.boundingBox(), await notice.boundingBox()];
	expect(textBox!.width).toBeGreaterThan(rowBox!.width * 0.75);

	// Back at the office width: the week shows every day (the visit may be tomorrow's).
	await helene.setViewportSize({ width: 1280, height: 900 });
	const after = await unread(helene);
	await notice.click();
	await helene.waitForURL(`**${teamPath}/rota/${week}`);
	await expect(helene.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	await expect(helene.getByText(/À couvrir \(prévu pour Karim Bouzid\)/).first()).toBeVisible();
	// Opened, so read: one fewer on the bell.
	expect(await unread(helene)).toBe(after - 1);

	await Promise.all([karim.context().close(), helene.context().close()]);
});
