import { expect, test, type Page } from '@playwright/test';
import { logInAsDemo } from './demo';

const PASSWORD = 'une phrase de passe solide';

async function signUp(page: Page, name: string, email: string) {
	await page.getByLabel('Nom et prénom').fill(name);
	await page.getByLabel('Adresse e-mail').fill(email);
	await page.getByLabel('Mot de passe').fill(PASSWORD);
	await page.getByRole('button', { name: 'Créer un compte' }).click();
}

test('a team forms: sign up, create, invite, join, see each other, log out and in, switch language', async ({
	browser
}) => {
	const stamp = Date.now();
	const aicha = { name: 'Aïcha Benali', email: `aicha.${stamp}@example.org` };
	const julien = { name: 'Julien Moreau', email: `julien.${stamp}@example.org` };
	const teamName = `Équipe Fourvière ${stamp}`;

	// Aïcha signs up and creates the team.
	const first = await browser.newContext();
	const a = await first.newPage();
	await a.goto('/signup');
	await signUp(a, aicha.name, aicha.email);
	await expect(a.getByRole('heading', { name: 'Mes équipes' })).toBeVisible();
	await a.getByRole('link', { name: 'Créer une équipe' }).click();
	await a.getByLabel('Nom de l’équipe').fill(teamName);
	await a.getByRole('button', { name: 'Créer l’équipe' }).click();
	await expect(a.getByRole('heading', { level: 1, name: teamName })).toBeVisible();
	const teamUrl = a.url();
	expect(teamUrl).toMatch(/\/teams\/[a-z2-7]{24}$/);

	// She creates an invitation link for a colleague.
	await a.getByRole('button', { name: 'Inviter un ou une collègue' }).click();
	const link = await a.getByTestId('invite-link').inputValue();
	expect(link).toMatch(/\/invite\/[a-z2-7]+$/);

	// Julien, in another browser, opens it, signs up from there and joins.
	const second = await browser.newContext();
	const j = await second.newPage();
	await j.goto(link);
	await expect(j.getByRole('heading', { name: `Rejoindre ${teamName}` })).toBeVisible();
	await j.getByRole('link', { name: 'Créer un compte' }).click();
	await signUp(j, julien.name, julien.email);
	await expect(j.getByRole('heading', { name: `Rejoindre ${teamName}` })).toBeVisible();
	await j.getByLabel('Aide-soignant·e').check();
	await j.getByLabel('Heures par semaine au contrat').fill('30');
	await j.getByRole('button', { name: 'Rejoindre l’équipe' }).click();
	await expect(j).toHaveURL(teamUrl);

	// Both see each other in the member list.
	const julienMembers = j.getByRole('list', { name: 'Membres' });
	await expect(julienMembers.getByText(aicha.name)).toBeVisible();
	await expect(julienMembers.getByText(julien.name)).toBeVisible();
	await expect(julienMembers.getByText(/Aide-soignant·e · 30\s+h par semaine/)).toBeVisible();
	await a.reload();
	const aichaMembers = a.getByRole('list', { name: 'Membres' });
	await expect(aichaMembers.getByText(julien.name)).toBeVisible();
	await expect(a.getByText('2 membres', { exact: true })).toBeVisible();

	// The link was single-use.
	const third = await browser.newContext();
	const t = await third.newPage();
	await t.goto(link);
	await expect(t.getByText('Ce lien d’invitation a déjà servi.')).toBeVisible();

	// Aïcha logs out from the user menu, and back in.
	await a.getByRole('button', { name: aicha.name, exact: true }).click();
	await a.getByRole('menuitem', { name: 'Se déconnecter' }).click();
	await expect(a).toHaveURL(/\/login$/);
	await a.goto(teamUrl);
	await expect(a).toHaveURL(/\/login\?next=/);
	await a.getByLabel('Adresse e-mail').fill(aicha.email);
	await a.getByLabel('Mot de passe').fill(PASSWORD);
	await a.getByRole('button', { name: 'Se connecter' }).click();
	await expect(a).toHaveURL(teamUrl);
	await expect(a.getByRole('heading', { level: 1, name: teamName })).toBeVisible();

	// She switches to English; the choice is remembered.
	await a.getByRole('button', { name: 'English' }).click();
	await expect(a.getByRole('heading', { name: 'Members' })).toBeVisible();
	await expect(a.locator('html')).toHaveAttribute('lang', 'en');
	await a.goto('/');
	await expect(a.getByRole('heading', { name: 'My teams' })).toBeVisible();
	await a.getByRole('button', { name: 'Français' }).click();
	await expect(a.getByRole('heading', { name: 'Mes équipes' })).toBeVisible();

	// A member of another team (from the demo data) opening the team's URL gets the not-found page.
	const o = await logInAsDemo(browser, 'isabelle.martin@demo.kring.example');
	const response = await o.goto(teamUrl);
	expect(response?.status()).toBe(404);
	await expect(o.getByText('Page introuvable')).toBeVisible();
	await expect(o.getByText(teamName)).toHaveCount(0);

	await Promise.all([first.close(), second.close(), third.close(), o.context().close()]);
});

test('the demo coach sees the teams they follow, their health and nothing else', async ({
	page
}) => {
	await page.goto('/login');
	await page.getByLabel('Adresse e-mail').fill('claire.morel@demo.kring.example');
	await page.getByLabel('Mot de passe').fill('kring-demo-2026');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('heading', { name: 'Équipes que j’accompagne' })).toBeVisible();
	await expect(page.getByText('Équipe Croix-Rousse')).toBeVisible();
	// The coach's link leads to the team's health, never to its board.
	const link = page.getByRole('link', { name: /Équipe Croix-Rousse/ });
	await expect(link).toHaveAttribute('href', /^\/teams\/[a-z2-7]{24}\/health$/);
	const health = (await link.getAttribute('href'))!;
	await link.click();
	await expect(page.getByRole('heading', { name: 'Santé de l’équipe' })).toBeVisible();
	const board = await page.goto(health.replace(/\/health$/, ''));
	expect(board?.status()).toBe(404);
});
