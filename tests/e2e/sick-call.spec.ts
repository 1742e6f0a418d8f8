import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { instantToWallClock, todayIn } from '../../src/lib/domain/time-zone';
import { daysBetween, mondayOfDate, weekOf } from '../../src/lib/domain/week';
import { logInAsDemo } from './demo';

// Same-day re-planning on two browsers: Camille (on her phone) calls in sick from now in two taps;
// Thomas (at the office) sees her visit to cover with its suggestion and takes it in one tap; both
// screens show the day covered. Then a deletion asks first and can be undone.

const SHOTS = 'test-results/screens';

/** A start today, after now, when the demo's rounds leave the carers free; null late at night. */
function freeSlotToday(): number | null {
	const { minutes } = instantToWallClock(new Date());
	return [12 * 60, 16 * 60, 21 * 60, 23 * 60].find((slot) => slot >= minutes + 30) ?? null;
}

async function rotaOfToday(page: Page): Promise<string> {
	await page.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
	await page.waitForURL(/\/teams\/[^/]+$/);
	const teamPath = new URL(page.url()).pathname;
	await page.goto(`${teamPath}/rota/${weekOf(todayIn())}`);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	return teamPath;
}

test('a sick call in two taps; a colleague takes the visit to cover in one; the day reads covered', async ({
	browser
}) => {
	const slot = freeSlotToday();
	test.skip(slot === null, 'too late in the day in Paris for a visit still to come');
	mkdirSync(SHOTS, { recursive: true });
	const today = todayIn();
	const hh = String(Math.floor(slot! / 60)).padStart(2, '0');

	const camille = await logInAsDemo(browser, 'camille.lefevre@demo.kring.example');
	await camille.setViewportSize({ width: 390, height: 844 });
	const thomas = await logInAsDemo(browser, 'thomas.bernard@demo.kring.example');
	await thomas.setViewportSize({ width: 1280, height: 900 });

	// The People page shows absences without opening the caseload (client data).
	const sockets: string[] = [];
	camille.on('websocket', (ws) => sockets.push(ws.url()));
	const teamPath = await rotaOfToday(camille);
	await camille.goto(`${teamPath}/people`);
	await expect(camille.getByRole('heading', { name: 'Absences', exact: true })).toBeVisible();
	await expect(camille.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	expect(sockets.some((u) => u.endsWith('/board'))).toBe(true);
	expect(sockets.filter((u) => u.endsWith('/caseload'))).toEqual([]);

	// Camille has a visit later today (added on the grid).
	await camille.goto(`${teamPath}/rota/${weekOf(today)}`);
	await expect(camille.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	const client = (
		await camille
			.getByRole('combobox', { name: /^Personne/ })
			.locator('option')
			.allTextContents()
	).filter((t) => t !== '—')[0]!;
	await camille.getByRole('combobox', { name: /^Personne/ }).selectOption({ label: client });
	await camille
		.getByRole('combobox', { name: /^Intervenant·e/ })
		.last()
		.selectOption({ label: 'Camille Lefèvre' });
	await camille
		.getByRole('combobox', { name: 'Jour' })
		.last()
		.selectOption(String(daysBetween(mondayOfDate(today), today)));
	await camille.getByLabel('Début').fill(`${hh}:00`);
	await camille.getByRole('button', { name: 'Ajouter un passage' }).click();
	const block = (page: Page) =>
		page.locator('button[id^="block-"]', { hasText: client }).filter({ hasText: `${Number(hh)}` });

	await rotaOfToday(thomas);
	await expect(block(thomas).first()).toBeVisible();

	// Two taps: "Je suis malade à partir de maintenant", then confirm (until tonight).
	await camille.getByRole('button', { name: 'Je suis malade à partir de maintenant' }).click();
	await camille.screenshot({ path: `${SHOTS}/sick-call-confirm-390.png` });
	await camille.getByRole('button', { name: 'Confirmer l’arrêt' }).click();
	await expect(camille.getByText(/Arrêt enregistré\. Visites à couvrir/)).toBeVisible();

	// Both grids: Camille's cells read absent (never the reason), her visit is to cover.
	for (const page of [camille, thomas]) {
		await expect(page.getByText(/Absent·e dès/).first()).toBeVisible();
		await expect(page.getByText('Arrêt maladie')).toHaveCount(0);
		await expect(page.getByText('À couvrir (prévu pour Camille Lefèvre)').first()).toBeVisible();
	}
	await camille.screenshot({ path: `${SHOTS}/rota-absence-390.png`, fullPage: true });

	const panel = thomas.getByRole('region', { name: 'À couvrir aujourd’hui' });
	await expect(panel).toBeVisible();
	await expect(panel.getByText(/Suggestion\u00a0: /).first()).toBeVisible();
	await thomas.screenshot({ path: `${SHOTS}/rota-absence-1280.png`, fullPage: true });

	// One tap: Thomas takes it. The day reads covered on both screens.
	const item = panel.getByRole('listitem').filter({ hasText: client });
	await item.getByRole('button', { name: 'Je la prends' }).click();
	for (const page of [thomas, camille])
		await expect(page.getByText(/Journée couverte/)).toBeVisible();
	await expect(thomas.getByText('À couvrir (prévu pour Camille Lefèvre)')).toHaveCount(0);
	await thomas.screenshot({ path: `${SHOTS}/day-covered-1280.png`, fullPage: true });
	await camille.screenshot({ path: `${SHOTS}/day-covered-390.png`, fullPage: true });

	// Deleting asks first, and can be undone: the visit comes back on the other screen too.
	await block(thomas).first().click();
	await thomas
		.getByRole('region', { name: /^Passage ·/ })
		.getByRole('button', { name: 'Supprimer' })
		.click();
	await expect(thomas.getByRole('dialog')).toContainText('Supprimer cette visite');
	await thomas.getByRole('dialog').getByRole('button', { name: 'Supprimer' }).click();
	await expect(thomas.getByText(`Visite chez ${client} supprimée.`)).toBeVisible();
	await expect(block(camille)).toHaveCount(0);
	await thomas.getByRole('button', { name: 'Annuler' }).click();
	await expect(block(camille).first()).toBeVisible();
	await expect(block(thomas).first()).toBeVisible();

	await Promise.all([camille.context().close(), thomas.context().close()]);
});
