import { expect, test } from '@playwright/test';
import { logInAsDemo } from './demo';

// The coach follows both demo teams; one team decides, by consent, to take the access back, and the
// team goes from the coach's open dashboard without a reload.

const VILLEURBANNE = [
	'isabelle.martin',
	'karim.bouzid',
	'helene.dubois',
	'oceane.petit',
	'yasmina.cherif',
	'antoine.girard',
	'marie.claire.fabre',
	'fatou.ndiaye',
	'pierre.lambert',
	'manon.chevalier'
].map((name) => `${name}@demo.kring.example`);

test('after a team takes back its coach’s access, it disappears from the coach’s dashboard', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const coach = await logInAsDemo(browser, 'claire.morel@demo.kring.example');
	await coach.goto('/coach');
	const row = (team: RegExp) => coach.getByRole('heading', { level: 2, name: team });
	await expect(row(/Équipe Croix-Rousse/)).toBeVisible();
	await expect(row(/Équipe Villeurbanne Nord/)).toBeVisible();

	const proposer = await logInAsDemo(browser, VILLEURBANNE[0]!);
	await proposer.getByRole('link', { name: /Équipe Villeurbanne Nord/ }).click();
	await proposer.getByLabel('Changement').selectOption('revoke-coach');
	await proposer.getByRole('combobox', { name: /^Coach/ }).selectOption({ label: 'Claire Morel' });
	await proposer.getByLabel('Pourquoi ?').fill('Nous avons trouvé notre rythme, merci Claire.');
	await proposer.getByRole('button', { name: 'Proposer à l’équipe' }).click();
	await expect(proposer.getByText(/n’a plus accès à l’équipe, tout de suite/)).toBeVisible();
	await proposer.getByRole('button', { name: 'Ouvrir le tour de consentement' }).click();
	const decisionUrl = proposer.url();

	// Nothing changes for the coach until the whole team has answered.
	await expect(row(/Équipe Villeurbanne Nord/)).toBeVisible();
	for (const email of VILLEURBANNE) {
		const page = email === VILLEURBANNE[0] ? proposer : await logInAsDemo(browser, email);
		await page.goto(decisionUrl);
		await page.getByRole('radio', { name: /^Consentement$/ }).check();
		await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
		await expect(
			page
				.getByText('Changer votre réponse')
				.or(page.getByRole('status').filter({ hasText: 'Adoptée' }))
		).toBeVisible();
		if (page !== proposer) await page.context().close();
	}
	await proposer.reload();
	await expect(proposer.getByRole('status').first()).toContainText('Adoptée');
	await expect(proposer.getByText('Fait par Kring à l’adoption.')).toBeVisible();

	// The coach's open dashboard drops the team without a reload; the other team stays.
	await expect(row(/Équipe Villeurbanne Nord/)).toHaveCount(0, { timeout: 15_000 });
	await expect(row(/Équipe Croix-Rousse/)).toBeVisible();
	await Promise.all([coach.context().close(), proposer.context().close()]);
});
