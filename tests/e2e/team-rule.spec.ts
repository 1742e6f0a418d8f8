import { expect, test, type Page } from '@playwright/test';
import { openCroixRousse } from './demo';

// A rule of the team changes only by consent, and then the rota applies it: two members at the
// meeting lower the most carers a client sees in a week from 3 to 2, and the rota's checks say so.

const PEOPLE = {
	aicha: { email: 'aicha.benali@demo.kring.example', name: 'Aïcha Benali' },
	camille: { email: 'camille.lefevre@demo.kring.example', name: 'Camille Lefèvre' }
};

async function openWarnings(page: Page, teamPath: string) {
	await page.goto(teamPath);
	await page.getByRole('link', { name: 'Planning', exact: true }).first().click();
	await expect(page.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible({
		timeout: 30_000
	});
	await page.getByRole('button', { name: 'Points d’attention' }).click();
}

test('lowering the carers-per-client rule by consent changes what the rota checks', async ({
	browser
}) => {
	test.setTimeout(240_000);
	const [aicha, camille] = await Promise.all([
		openCroixRousse(browser, PEOPLE.aicha.email),
		openCroixRousse(browser, PEOPLE.camille.email)
	]);
	const teamPath = new URL(aicha.url()).pathname;

	// The demo's adopted rule: three carers at most.
	await openWarnings(aicha, teamPath);
	await expect(aicha.getByText(/règle de l’équipe\s:\s3\sau plus/).first()).toBeVisible();
	await expect(aicha.getByText(/règle de l’équipe\s:\s2\sau plus/)).toHaveCount(0);

	await aicha.goto(`${teamPath}/rules?change=maxCarersPerClient`);
	await aicha.getByLabel('Nombre').fill('2');
	await aicha.getByLabel(/Ce qui motive/).fill('Mme Roux voit encore trop de visages différents.');
	await aicha
		.getByLabel(/^Proposition/)
		.fill('Deux intervenants au plus par personne et par semaine.');
	// Only the two of us are at this meeting.
	for (const box of await aicha.getByRole('checkbox').all()) {
		const label = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
		if (!Object.values(PEOPLE).some((p) => label.includes(p.name))) await box.uncheck();
	}
	await aicha.getByRole('button', { name: 'Proposer', exact: true }).click();
	await expect(aicha.getByRole('button', { name: 'Ouvrir le tour de consentement' })).toBeVisible({
		timeout: 30_000
	});
	await camille.goto(aicha.url());

	// Not yet adopted: the rota still applies three.
	const rules = await aicha.context().newPage();
	await rules.goto(`${teamPath}/rules`);
	await expect(rules.getByText('3 intervenants')).toBeVisible();
	await expect(rules.getByRole('link', { name: /Intervenants par personne/ })).toBeVisible();

	await aicha.getByRole('button', { name: 'Ouvrir le tour de consentement' }).click();
	for (const page of [camille, aicha]) {
		await expect(page.getByRole('button', { name: 'Envoyer ma réponse' })).toBeVisible({
			timeout: 30_000
		});
		await page.getByRole('radio', { name: /^Consentement$/ }).check();
		await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
	}
	for (const page of [aicha, camille])
		await expect(page.getByRole('status').first()).toContainText('Adoptée', { timeout: 30_000 });

	await rules.reload();
	await expect(rules.getByText('2 intervenants')).toBeVisible();
	await openWarnings(camille, teamPath);
	await expect(camille.getByText(/règle de l’équipe\s:\s2\sau plus/).first()).toBeVisible();
	await expect(camille.getByText(/règle de l’équipe\s:\s3\sau plus/)).toHaveCount(0);
	await Promise.all([aicha.context().close(), camille.context().close()]);
});
