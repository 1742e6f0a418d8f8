import { expect, type Browser, type Page } from '@playwright/test';

const DEMO_PASSWORD = 'kring-demo-2026';

/** A new browser context logged in as a demo user, on their home page. */
export async function logInAsDemo(browser: Browser, email: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
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
