import { expect, test, type Page } from '@playwright/test';
import { logInAsDemo, openCroixRousse } from './demo';

test('the demo caseload is full, and two colleagues write one care plan together', async ({
	browser
}) => {
	const camille = await openCroixRousse(browser, 'camille.lefevre@demo.kring.example', 'caseload');
	const sophie = await openCroixRousse(browser, 'sophie.garnier@demo.kring.example', 'caseload');

	// The demo team follows about 25 people, grouped by sector with their weekly load.
	await expect(camille.getByRole('list', { name: 'Charge de l’équipe' })).toContainText('Plateau');
	expect(await camille.locator('a[href*="/caseload/"]').count()).toBeGreaterThanOrEqual(20);

	// Camille adds a new person; Sophie sees the card appear.
	await camille.getByLabel('Nom', { exact: true }).fill('Mme Odile Vasseur');
	await camille.getByLabel('Adresse').fill('3 rue Belfort');
	await camille.getByRole('textbox', { name: 'Secteur' }).fill('Plateau');
	await camille.getByRole('button', { name: 'Ajouter', exact: true }).click();
	await expect(sophie.getByRole('link', { name: /Mme Odile Vasseur/ })).toBeVisible({
		timeout: 2_000
	});

	// Both open the card and type in the care plan at the same time: the text converges.
	await camille.getByRole('link', { name: /Mme Odile Vasseur/ }).click();
	await sophie.getByRole('link', { name: /Mme Odile Vasseur/ }).click();
	const planA = camille.getByLabel('Projet de soins');
	const planB = sophie.getByLabel('Projet de soins');
	await planA.click();
	await planA.pressSequentially('Toilette le matin. ');
	await expect(planB).toHaveValue('Toilette le matin. ');
	await expect(sophie.getByText('Camille Lefèvre modifie')).toBeVisible();
	// Sophie writes at the start while Camille goes on at the end; neither caret is pushed around.
	await planB.click();
	await planB.press('Control+Home');
	await Promise.all([
		planA.pressSequentially('Kiné mardi. '),
		planB.pressSequentially('Diabète. ')
	]);
	const expected = 'Diabète. Toilette le matin. Kiné mardi. ';
	await expect(planA).toHaveValue(expected);
	await expect(planB).toHaveValue(expected);
	// Each sees where the other is typing: a caret with the colleague's name on it.
	// Presence goes out in batches and a loaded machine delays them: wait longer than the default.
	await expect(camille.locator('.remote-caret', { hasText: 'Sophie Garnier' })).toBeVisible({
		timeout: 15_000
	});
	await expect(sophie.locator('.remote-caret', { hasText: 'Camille Lefèvre' })).toBeVisible({
		timeout: 15_000
	});
	// Sophie's caret sits after "Diabète. ", left of Camille's at the end of the text.
	const sophieAt = await camille
		.locator('.remote-caret', { hasText: 'Sophie Garnier' })
		.boundingBox();
	const camilleAt = await sophie
		.locator('.remote-caret', { hasText: 'Camille Lefèvre' })
		.boundingBox();
	expect(sophieAt!.x + sophieAt!.y * 1000).toBeLessThan(camilleAt!.x + camilleAt!.y * 1000);
	const final = expected;

	// After her visit Sophie leaves a handover note; Camille sees it first on the card.
	await sophie
		.getByLabel(/Nouvelle transmission/)
		.fill('Glycémie 1,8 g/L à 8 h, à recontrôler ce soir');
	await sophie.getByRole('button', { name: 'Laisser la transmission' }).click();
	const latest = camille
		.getByRole('list', { name: 'Dernières transmissions' })
		.getByRole('listitem')
		.first();
	await expect(latest).toContainText('Glycémie 1,8 g/L à 8 h, à recontrôler ce soir');
	await expect(latest).toContainText('Sophie Garnier');

	// And it is stored.
	await sophie.reload();
	await expect(sophie.getByLabel('Projet de soins')).toHaveValue(final);
	await Promise.all([camille.context().close(), sophie.context().close()]);
});

/** Whether this page's browser can open the live document: resolves 'open' or 'refused'. */
function tryDocument(page: Page, docName: string): Promise<string> {
	return page.evaluate(
		(name) =>
			new Promise<string>((resolve) => {
				const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/collab/${name}`);
				ws.binaryType = 'arraybuffer';
				ws.onmessage = () => {
					resolve('open');
					ws.close();
				};
				ws.onerror = () => resolve('refused');
				ws.onclose = () => resolve('refused');
			}),
		docName
	);
}

test('a coach and a member of another team cannot reach the caseload, its page or its document', async ({
	browser
}) => {
	const camille = await openCroixRousse(browser, 'camille.lefevre@demo.kring.example', 'caseload');
	await camille.waitForURL(/\/caseload$/);
	const url = camille.url();
	const teamId = /\/teams\/([a-z2-7]+)\//.exec(url)![1]!;
	// The control: a member of the team opens the document.
	expect(await tryDocument(camille, `team/${teamId}/caseload`)).toBe('open');
	for (const email of ['claire.morel@demo.kring.example', 'isabelle.martin@demo.kring.example']) {
		const page = await logInAsDemo(browser, email);
		const response = await page.goto(url);
		expect(response?.status()).toBe(404);
		await expect(page.getByText('Page introuvable')).toBeVisible();
		expect(await tryDocument(page, `team/${teamId}/caseload`)).toBe('refused');
		await page.context().close();
	}
	await camille.context().close();
});
