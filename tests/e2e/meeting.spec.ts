import { expect, test, type Page } from '@playwright/test';
import { openCroixRousse, printLiveTrailsOnFailure } from './demo';

printLiveTrailsOnFailure();

// A weekly meeting from start to finish on two devices: opening, check-in, an agenda item turned
// into a proposal decided by those present, and the minutes written at the close.

async function consent(page: Page) {
	await page.getByRole('radio', { name: /^Consentement$/ }).check();
	await page.getByRole('button', { name: 'Envoyer ma réponse' }).click();
}

const ITEM = 'Lève-personne réservé au bureau';

const step = (page: Page, name: RegExp) =>
	page.getByRole('navigation', { name: 'Étapes de la réunion' }).getByRole('button', { name });

test('a team holds its weekly meeting on two devices and finds the decision in the minutes', async ({
	browser
}) => {
	const [aicha, camille] = await Promise.all([
		openCroixRousse(browser, 'aicha.benali@demo.kring.example'),
		openCroixRousse(browser, 'camille.lefevre@demo.kring.example')
	]);
	await aicha.getByRole('link', { name: 'Réunions', exact: true }).click();
	await aicha.getByRole('link', { name: /Ouvrir la réunion du/ }).click();
	await expect(aicha.getByRole('heading', { name: /^Réunion du/ })).toBeVisible();
	const meetingUrl = aicha.url();
	await camille.goto(meetingUrl);
	// Live documents sync slowly on a machine shared with other runs.
	await expect(camille.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible({
		timeout: 30_000
	});
	// The team's next meeting, whatever earlier tests held: its agenda is open all week.
	await aicha.getByLabel('Point', { exact: true }).fill(ITEM);
	await aicha.getByLabel(/^À quoi sert-il/).fill('Ne plus chercher le lève-personne le matin');
	// A proposal, the form's default kind.
	await aicha.getByRole('button', { name: 'Ajouter un point' }).click();
	await expect(camille.getByText(ITEM)).toBeVisible({ timeout: 30_000 });

	await aicha.getByRole('button', { name: 'Commencer la réunion' }).click();
	// Camille's screen follows without a reload.
	await expect(camille.locator('[data-meeting-status=open]')).toBeVisible();

	for (const [page, word] of [
		[aicha, 'En forme'],
		[camille, 'Un peu fatiguée']
	] as const) {
		await expect(step(page, /Tour d’arrivée/)).toBeVisible();
		await page.getByLabel('Mon mot').fill(word);
		await page.getByRole('button', { name: 'Dire' }).click();
	}
	await expect(aicha.locator('[data-round=checkIn]')).toContainText('Un peu fatiguée');
	await expect(camille.locator('[data-round=checkIn]')).toContainText('En forme');
	await expect(aicha.getByText('2 personnes présentes')).toBeVisible();

	// Whoever runs the screen moves the step for everyone.
	await step(aicha, /Ordre du jour/).click();
	await expect(step(camille, /Ordre du jour/)).toHaveAttribute('aria-current', 'step');
	await aicha
		.getByRole('listitem')
		.filter({ hasText: ITEM })
		.getByRole('button', { name: 'En faire une proposition' })
		.click();
	await expect(step(camille, /Propositions/)).toHaveAttribute('aria-current', 'step');
	await aicha
		.getByLabel('Quelle est ta proposition ?')
		.fill('Le lève-personne reste au bureau, réservé sur le planning.');
	await aicha.getByRole('button', { name: 'Nouvelle proposition' }).click();
	await expect(aicha.getByText('Proposition ajoutée')).toBeVisible();
	const row = (page: Page) => page.locator('tr', { hasText: ITEM });
	// The new proposal appears in Camille's table without a reload.
	await expect(row(camille)).toBeVisible();

	await row(aicha).getByRole('link', { name: 'Ouvrir pour répondre' }).click();
	await row(camille).getByRole('link', { name: 'Ouvrir pour répondre' }).click();
	await aicha.getByRole('button', { name: 'Ouvrir le tour de consentement' }).click();
	await expect(camille.getByRole('button', { name: 'Envoyer ma réponse' })).toBeVisible();
	await consent(camille);
	await consent(aicha);
	// Only those present take part: two answers adopt it.
	for (const page of [aicha, camille])
		await expect(page.getByRole('status')).toContainText('Adoptée');

	await Promise.all([aicha.goto(meetingUrl), camille.goto(meetingUrl)]);
	await expect(row(camille).locator('[data-stage=adopted]')).toBeVisible();
	await step(aicha, /Tour de départ/).click();
	await aicha.getByRole('button', { name: 'Clore la réunion et écrire le compte rendu' }).click();
	await aicha
		.getByRole('dialog')
		.getByRole('button', { name: 'Clore la réunion et écrire le compte rendu' })
		.click();
	for (const page of [aicha, camille]) {
		await expect(page.getByRole('heading', { name: 'Compte rendu' })).toBeVisible();
		// Held today, as it started; its agenda item says what became of it.
		await expect(page.locator('[data-minutes-held]')).toContainText('Tenue le');
		await expect(
			page
				.getByRole('listitem')
				.filter({ hasText: /devenu une proposition/ })
				.first()
		).toBeVisible();
		const minute = page
			.getByRole('listitem')
			.filter({ hasText: ITEM })
			.filter({ hasText: 'Consentement de' });
		await expect(minute).toContainText('Adoptée');
		await expect(minute).toContainText('Aïcha Benali');
		await expect(minute).toContainText('Camille Lefèvre');
	}
	// Afterwards, the meetings page lists it with what was decided.
	await camille.getByRole('link', { name: 'Toutes les réunions' }).click();
	await expect(camille.getByText(ITEM).first()).toBeVisible();
	await Promise.all([aicha, camille].map((p) => p.context().close()));
});
