import { expect, test, type Page } from '@playwright/test';
import { openCroixRousse } from './demo';

const PEOPLE = {
	aicha: { email: 'aicha.benali@demo.kring.example', name: 'Aïcha Benali' },
	camille: { email: 'camille.lefevre@demo.kring.example', name: 'Camille Lefèvre' },
	sophie: { email: 'sophie.garnier@demo.kring.example', name: 'Sophie Garnier' }
};

async function answer(page: Page, kind: RegExp, reason = '') {
	await page.getByRole('radio', { name: kind }).check();
	if (reason) await page.getByLabel(/^Raison/).fill(reason);
	await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
}

test('a proposal meets an objection, is amended, and is adopted on three boards without a reload', async ({
	browser
}) => {
	const [aicha, camille, sophie] = await Promise.all([
		openCroixRousse(browser, PEOPLE.aicha.email),
		openCroixRousse(browser, PEOPLE.camille.email),
		openCroixRousse(browser, PEOPLE.sophie.email)
	]);

	await aicha.getByRole('link', { name: 'Décisions' }).click();
	await aicha.getByLabel('Titre').fill('Binôme le dimanche soir (essai e2e)');
	await aicha
		.getByLabel(/Ce qui motive/)
		.fill('Les samedis matin sont trop chargés pour une seule personne');
	await aicha.getByLabel(/^Proposition/).fill('Deux personnes sur la tournée du samedi matin');
	// Only the three of us are at this meeting.
	for (const box of await aicha.getByRole('checkbox').all()) {
		const label = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
		if (!Object.values(PEOPLE).some((p) => label.includes(p.name))) await box.uncheck();
	}
	await aicha.getByRole('button', { name: 'Proposer' }).click();
	await expect(
		aicha.getByRole('heading', { name: 'Binôme le dimanche soir (essai e2e)' })
	).toBeVisible();
	const url = aicha.url();
	await Promise.all([camille.goto(url), sophie.goto(url)]);

	await aicha.getByRole('button', { name: 'Ouvrir le tour de consentement' }).click();
	// The others see the round open without reloading.
	await expect(sophie.getByRole('button', { name: 'Envoyer ma réponse' })).toBeVisible();
	await expect(camille.getByRole('button', { name: 'Envoyer ma réponse' })).toBeVisible();

	await answer(sophie, /^Objection/, 'Personne de formé aux transferts de M. Faure le samedi');
	await answer(camille, /^Consentement$/);
	await answer(aicha, /^Consentement$/);
	await expect(camille.getByRole('status')).toContainText('Tour de consentement');
	await expect(aicha.getByText('Personne de formé aux transferts')).toBeVisible();

	await aicha
		.getByLabel(/Nouvelle version/)
		.fill('Deux personnes le samedi matin, dont une formée aux transferts');
	await aicha.getByRole('button', { name: 'Proposer la nouvelle version' }).click();
	await expect(
		sophie.getByRole('heading', { name: 'Tour de consentement, version 2' })
	).toBeVisible();

	for (const page of [sophie, camille, aicha]) await answer(page, /^Consentement$/);
	for (const page of [aicha, camille, sophie])
		await expect(page.getByRole('status')).toContainText('Adoptée');

	// The log lists it as adopted.
	await sophie.getByRole('link', { name: 'Décisions' }).click();
	await expect(
		sophie.getByRole('link', { name: /Binôme le dimanche soir \(essai e2e\)/ })
	).toContainText('Adoptée');
	await Promise.all([aicha, camille, sophie].map((p) => p.context().close()));
});
