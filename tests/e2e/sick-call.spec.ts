import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { daysBetween, mondayOfDate, weekOf } from '../../src/lib/domain/week';
import { addVisitOnGrid, blockOf, clockText, logInAsDemo, visitToCome } from './demo';

// Same-day re-planning on two browsers: Camille (on her phone) calls in sick from now in two taps;
// Thomas (at the office) sees her visit to cover with its suggestion and takes it in one tap; both
// screens show the day covered. Then a deletion asks first and can be undone.

const SHOTS = 'test-results/screens';

/** Starts when the demo's rounds leave the carers free (five past: no demo visit starts then). */
const FREE_SLOTS = [12 * 60 + 5, 16 * 60 + 5, 21 * 60 + 5, 23 * 60 + 5];

/** The team's rota of `week`, once its live document says everything is saved. */
async function rotaOf(page: Page, week: string): Promise<string> {
	await page.getByRole('link', { name: /Équipe Croix-Rousse/ }).click();
	await page.waitForURL(/\/teams\/[^/]+$/);
	const teamPath = new URL(page.url()).pathname;
	await page.goto(`${teamPath}/rota/${week}`);
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	return teamPath;
}

test('a sick call in two taps; a colleague takes the visit to cover in one; the day reads covered', async ({
	browser
}) => {
	mkdirSync(SHOTS, { recursive: true });
	// Today if a visit can still come today, else tomorrow (and a sick call until tomorrow night).
	const visit = visitToCome(FREE_SLOTS);
	const week = weekOf(visit.day);
	// Late on a Sunday, tomorrow's week does not hold today: no "today" part in the cover panel.
	const todayShown = weekOf(visit.today) === week;
	const dayIndex = String(daysBetween(mondayOfDate(visit.day), visit.day));

	const camille = await logInAsDemo(browser, 'camille.lefevre@demo.kring.example');
	await camille.setViewportSize({ width: 390, height: 844 });
	const thomas = await logInAsDemo(browser, 'thomas.bernard@demo.kring.example');
	await thomas.setViewportSize({ width: 1280, height: 900 });

	// The People page shows absences without opening the caseload (client data).
	const sockets: string[] = [];
	camille.on('websocket', (ws) => sockets.push(ws.url()));
	const teamPath = await rotaOf(camille, week);
	await camille.goto(`${teamPath}/people`);
	await expect(camille.getByRole('heading', { name: 'Absences', exact: true })).toBeVisible();
	await expect(camille.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	expect(sockets.some((u) => u.endsWith('/board'))).toBe(true);
	expect(sockets.filter((u) => u.endsWith('/caseload'))).toEqual([]);

	// Camille has a visit still to come (added on the grid); her phone shows that day.
	await camille.goto(`${teamPath}/rota/${week}`);
	await expect(camille.getByRole('status').filter({ hasText: 'Enregistré' }).first()).toBeVisible();
	const added = await addVisitOnGrid(camille, 'Camille Lefèvre', visit.day, visit.start);
	const { client } = added;
	const block = (page: Page) => blockOf(page, added);
	const at = clockText(visit.start);

	await rotaOf(thomas, week);
	await expect(block(thomas)).toBeVisible();

	// Two taps: "Je suis malade à partir de maintenant", then confirm (until tonight; late at
	// night, until tomorrow night, which holds the visit).
	await camille.getByRole('button', { name: 'Je suis malade à partir de maintenant' }).click();
	await camille.screenshot({ path: `${SHOTS}/sick-call-confirm-390.png` });
	if (visit.until !== 'ce soir')
		await camille.getByRole('dialog').getByLabel('Jusqu’à').selectOption({ label: visit.until });
	await camille.getByRole('button', { name: 'Confirmer l’arrêt' }).click();
	// The server marks every visit of hers still to come, then tells colleagues: generous.
	await expect(camille.getByText(/Arrêt enregistré\. Visites à couvrir/)).toBeVisible({
		timeout: 30_000
	});
	// Her phone shows one day: the visit's (the page opens on today again once the server answered).
	await camille.getByRole('combobox', { name: 'Jour' }).first().selectOption(dayIndex);

	// Both grids: Camille's cells read absent (never the reason), her visit is to cover. The day
	// of the sick call reads absent from its hour; the next one, absent all day.
	const absent = visit.day === visit.today ? /Absent·e dès/ : /^Absent·e$/;
	for (const page of [camille, thomas]) {
		await expect(page.getByText(absent).first()).toBeVisible();
		await expect(page.getByText('Arrêt maladie')).toHaveCount(0);
		await expect(block(page)).toContainText('À couvrir (prévu pour Camille Lefèvre)');
	}
	await camille.screenshot({ path: `${SHOTS}/rota-absence-390.png`, fullPage: true });

	const panel = thomas.getByRole('region', {
		name: todayShown ? 'À couvrir aujourd’hui' : 'À couvrir cette semaine'
	});
	await expect(panel).toBeVisible();
	await expect(panel.getByText(/Suggestion\u00a0: /).first()).toBeVisible();
	await thomas.screenshot({ path: `${SHOTS}/rota-absence-1280.png`, fullPage: true });

	// One tap: Thomas takes it: covered on both screens. Camille's own rounds still to come (the
	// demo's, fewer the later it is) are to cover too; once none is left today, the day reads
	// covered.
	const item = panel
		.getByRole('listitem')
		.filter({ hasText: `${client}, ` })
		.filter({ hasText: at });
	await item.getByRole('button', { name: 'Je la prends' }).click();
	await expect(item).toHaveCount(0);
	for (const page of [thomas, camille]) await expect(block(page)).not.toContainText('À couvrir');
	const leftToday = todayShown ? await panel.locator('#cover-title + ul > li').count() : 0;
	if (todayShown && leftToday === 0)
		for (const page of [thomas, camille])
			await expect(page.getByText(/Journée couverte/)).toBeVisible();
	await thomas.screenshot({ path: `${SHOTS}/day-covered-1280.png`, fullPage: true });
	await camille.screenshot({ path: `${SHOTS}/day-covered-390.png`, fullPage: true });

	// Deleting asks first, and can be undone: the visit comes back on the other screen too.
	await block(thomas).click();
	await thomas
		.getByRole('region', { name: /^Passage ·/ })
		.getByRole('button', { name: 'Supprimer' })
		.click();
	await expect(thomas.getByRole('dialog')).toContainText('Supprimer cette visite');
	await thomas.getByRole('dialog').getByRole('button', { name: 'Supprimer' }).click();
	await expect(thomas.getByText(`Visite chez ${client} supprimée.`)).toBeVisible();
	await expect(block(camille)).toHaveCount(0);
	await thomas.getByRole('button', { name: 'Annuler' }).click();
	await expect(block(camille)).toBeVisible();
	await expect(block(thomas)).toBeVisible();

	await Promise.all([camille.context().close(), thomas.context().close()]);
});
