import { expect, test, type Page } from '@playwright/test';
import { addDays, weekOf } from '../../src/lib/domain/week';
import { openCroixRousse } from './demo';

/** A week far enough ahead to be empty in the demo. */
function emptyWeek(): string {
	return weekOf(addDays(new Date().toISOString().slice(0, 10), 70));
}

async function addVisit(page: Page, client: string, carer: string) {
	await page.getByRole('combobox', { name: /^Personne/ }).selectOption({ label: client });
	await page
		.getByRole('combobox', { name: /^Intervenant·e/ })
		.last()
		.selectOption({ label: carer });
	await page.getByLabel('Début').fill('08:00');
	await page.getByRole('button', { name: 'Ajouter un passage' }).click();
}

test('two colleagues on one week: a clash appears on both screens, and goes when one fixes it', async ({
	browser
}) => {
	const week = emptyWeek();
	const [camille, sophie] = await Promise.all([
		openCroixRousse(browser, 'camille.lefevre@demo.kring.example'),
		openCroixRousse(browser, 'sophie.garnier@demo.kring.example')
	]);
	const teamPath = new URL(camille.url()).pathname;
	await Promise.all([
		camille.goto(`${teamPath}/rota/${week}`),
		sophie.goto(`${teamPath}/rota/${week}`)
	]);
	for (const page of [camille, sophie])
		await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();

	const clients = (
		await camille
			.getByRole('combobox', { name: /^Personne/ })
			.locator('option')
			.allTextContents()
	).filter((t) => t !== '—');
	const [first, second] = [clients[0]!, clients[1]!];
	await addVisit(camille, first, 'Aïcha Benali');
	await addVisit(camille, second, 'Camille Lefèvre');
	const clash = (page: Page) =>
		page.getByRole('status').filter({ hasText: 'deux endroits à la fois' });
	const block = (page: Page, name: string) =>
		page.locator('button[id^="block-"]', { hasText: name });
	await expect(block(sophie, second)).toBeVisible();
	await expect(clash(sophie)).toHaveCount(0);

	// Camille moves her own visit onto Aïcha's row with the keyboard: Aïcha is busy at 8:00.
	await block(camille, second).focus();
	await camille.keyboard.press('ArrowUp');
	await expect(clash(camille)).toBeVisible();
	await expect(clash(sophie)).toBeVisible();

	// Sophie opens the visit and gives it back to Camille: the warning goes on both screens.
	await block(sophie, second).click();
	await sophie
		.getByRole('region', { name: /^Passage ·/ })
		.getByRole('combobox', { name: /^Intervenant·e/ })
		.selectOption({ label: 'Camille Lefèvre' });
	await expect(clash(sophie)).toHaveCount(0);
	await expect(clash(camille)).toHaveCount(0);
	await Promise.all([camille.context().close(), sophie.context().close()]);
});

test('on a desktop the grid marks today and keeps its place when a visit opens; on a phone it remembers “Mes passages seulement”', async ({
	browser
}) => {
	const page = await openCroixRousse(browser, 'aicha.benali@demo.kring.example');
	const teamPath = new URL(page.url()).pathname;
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(`${teamPath}/rota`);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	const today = page.locator('th[aria-current="date"]');
	await expect(today).toHaveCount(1);
	await expect(today).toContainText('Aujourd’hui');
	// The grid uses the desktop's width, and opening a visit puts it beside the grid, not above.
	const grid = page.locator('table').first();
	const box = () =>
		grid.evaluate((t) => {
			const r = t.getBoundingClientRect();
			return { top: Math.round(r.top + window.scrollY), width: Math.round(r.width) };
		});
	const before = await box();
	expect(before.width).toBeGreaterThan(1100);
	await page.locator('[id^="block-"]').first().click();
	await expect(page.getByRole('heading', { name: /^Passage ·/ })).toBeVisible();
	expect((await box()).top).toBe(before.top);

	// On a phone: no keyboard hints, and "my visits only" stays chosen on this device.
	await page.setViewportSize({ width: 390, height: 844 });
	await expect(page.getByText(/^Sur un passage/)).toBeHidden();
	await page.getByLabel('Mes passages seulement').check();
	await page.reload();
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	await expect(page.getByLabel('Mes passages seulement')).toBeChecked();
	await page.context().close();
});
