import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { logInAsDemo, openCroixRousse, openWorkingDay, printLiveTrailsOnFailure } from './demo';

printLiveTrailsOnFailure();

// The team's improvement routine end to end, as ALOÏS's coordinators run it. Two nurses of
// Croix-Rousse, each in her own browser, raise a problem as a kaizen card, pick it in their weekly
// meeting and start testing a countermeasure; at the next weekly meeting (planned by closing the
// first) they review the result and propose it as a care standard, which both adopt by consent,
// each seeing the other's moves without a reload. The card reads adopted, the standard is in the
// library and linked from a visit on the member's day; the lesson is shared, and a nurse of
// Villeurbanne Nord copies it into her team's board.

const AICHA = 'aicha.benali@demo.kring.example';
const CAMILLE = 'camille.lefevre@demo.kring.example';
const ISABELLE = 'isabelle.martin@demo.kring.example';

const PROBLEM = 'Pansements refaits faute de matériel';
const TEST = 'Préparer le set de pansement la veille au soir\nVérifier le stock le vendredi';
const RESULT = 'Plus aucun pansement refait en une semaine';
const LESSON = 'Le matériel de pansement se prépare la veille';
const DECISION = /Standard de soin\s:\sSet de pansement prêt la veille/;
const SHOTS = '/tmp/shots-kaizen';
// Live sync between browsers on a machine shared with other runs.
const LIVE = { timeout: 30_000 };

/** Today in Paris plus `days`, as the date inputs take it. */
function parisDay(days: number): string {
	const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
	const d = new Date(`${today}T12:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

const step = (page: Page, name: RegExp) =>
	page.getByRole('navigation', { name: 'Étapes de la réunion' }).getByRole('button', { name });
const cardSection = (page: Page) => page.getByRole('region', { name: 'Carte en cours' });
const field = (page: Page, label: string) => cardSection(page).getByLabel(label, { exact: true });

/** Opens the team's next meeting from the meetings page, starts it, and both members check in. */
async function holdMeeting(
	teamPath: string,
	starter: Page,
	other: Page,
	words: [string, string]
): Promise<string> {
	await starter.goto(teamPath);
	await starter.getByRole('link', { name: 'Réunions', exact: true }).first().click();
	await starter.getByRole('link', { name: /Ouvrir la réunion du/ }).click();
	await starter.getByRole('button', { name: 'Commencer la réunion' }).click();
	await expect(step(starter, /Tour d’arrivée/)).toBeVisible(LIVE);
	const url = starter.url();
	await other.goto(url);
	await expect(step(other, /Tour d’arrivée/)).toBeVisible(LIVE);
	for (const [page, word] of [
		[starter, words[0]],
		[other, words[1]]
	] as const) {
		await page.getByLabel('Mon mot').fill(word);
		await page.getByRole('button', { name: 'Dire' }).click();
	}
	// Each sees the other checked in: both are present, both take part in the meeting's rounds.
	await expect(starter.locator('[data-round=checkIn]')).toContainText(words[1], LIVE);
	await expect(other.locator('[data-round=checkIn]')).toContainText(words[0], LIVE);
	return url;
}

async function closeMeeting(page: Page, other: Page, url: string) {
	await Promise.all([page.goto(url), other.goto(url)]);
	await step(page, /Tour de départ/).click();
	await expect(step(other, /Tour de départ/)).toHaveAttribute('aria-current', 'step', LIVE);
	await page.getByRole('button', { name: 'Clore la réunion et écrire le compte rendu' }).click();
	await page
		.getByRole('dialog')
		.getByRole('button', { name: 'Clore la réunion et écrire le compte rendu' })
		.click();
	// The other screen turns into the minutes without a reload.
	for (const p of [page, other])
		await expect(p.getByRole('heading', { name: 'Compte rendu' })).toBeVisible(LIVE);
}

async function shoot(page: Page, name: string) {
	mkdirSync(SHOTS, { recursive: true });
	const size = page.viewportSize()!;
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 900 });
		await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
	}
	await page.setViewportSize(size);
}

test('a card goes from a problem to an adopted standard over two meetings, and another team copies its lesson', async ({
	browser
}) => {
	test.setTimeout(420_000);
	const [aicha, camille] = await Promise.all([
		openCroixRousse(browser, AICHA),
		openCroixRousse(browser, CAMILLE)
	]);
	const teamPath = new URL(aicha.url()).pathname;

	// A problem seen on the round becomes a card; Camille's board shows it as Aïcha types.
	let kaizenSockets = 0;
	let dataLoads = 0;
	aicha.on('websocket', (ws) => {
		if (ws.url().endsWith('/kaizen')) kaizenSockets++;
	});
	aicha.on('response', (r) => {
		if (/\/kaizen\/__data\.json/.test(r.url())) dataLoads++;
	});
	await Promise.all(
		[aicha, camille].map((p) =>
			p.getByRole('link', { name: 'Amélioration continue' }).first().click()
		)
	);
	// The navigation loads the page's data; once the governance document first syncs, the page
	// reloads it (follow-governance).
	await expect.poll(() => dataLoads, LIVE).toBeGreaterThanOrEqual(2);
	await expect(aicha.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible(LIVE);
	await aicha.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done))));
	// Reloading the page's data keeps its live document open: reopening it emptied the board
	// until it synced again, and a keystroke meanwhile went into the copy being closed.
	expect(kaizenSockets).toBe(1);
	await aicha.getByRole('button', { name: 'Nouveau problème' }).click();
	await field(aicha, 'Le problème en une ligne').fill(PROBLEM);
	await field(aicha, 'Ce qu’on a observé').fill(
		'Deux pansements refaits cette semaine : le set manquait au domicile.'
	);
	await field(aicha, 'Où').fill('Tournée du soir');
	await field(aicha, 'À quelle fréquence').fill('Deux fois par semaine');
	const openLane = (p: Page) => p.getByRole('region', { name: 'À analyser' });
	await expect(openLane(camille).getByRole('button', { name: new RegExp(PROBLEM) })).toBeVisible(
		LIVE
	);

	// Meeting 1: the kaizen step lists the new problem; the team picks it and starts a test.
	const firstMeeting = await holdMeeting(teamPath, aicha, camille, ['En forme', 'Contente']);
	await step(aicha, /Amélioration continue/).click();
	await expect(step(camille, /Amélioration continue/)).toHaveAttribute(
		'aria-current',
		'step',
		LIVE
	);
	const fresh = (p: Page) =>
		p.getByRole('heading', { name: 'Nouveaux problèmes depuis la dernière réunion' }).locator('..');
	for (const p of [aicha, camille]) await fresh(p).getByRole('link', { name: PROBLEM }).click();
	for (const p of [aicha, camille])
		await expect(field(p, 'Le problème en une ligne')).toHaveValue(PROBLEM, LIVE);
	await field(camille, 'Pourquoi cela arrive (les causes trouvées ensemble)').fill(
		'Le set est fini le matin et personne ne le note.'
	);
	await field(aicha, 'La contre-mesure qu’on teste').fill(TEST);
	await field(aicha, 'Date de vérification de son effet').fill(parisDay(7));
	await field(aicha, 'Qui s’en occupe').fill('Aïcha');
	// Each sees what the other wrote, without a reload.
	await expect(field(aicha, 'Pourquoi cela arrive (les causes trouvées ensemble)')).toHaveValue(
		'Le set est fini le matin et personne ne le note.',
		LIVE
	);
	await expect(field(camille, 'La contre-mesure qu’on teste')).toHaveValue(TEST, LIVE);
	await aicha.getByRole('button', { name: 'Tester la contre-mesure' }).click();
	await expect(cardSection(camille).getByText(/État\s:\sEn test/)).toBeVisible(LIVE);
	await closeMeeting(aicha, camille, firstMeeting);

	// Meeting 2, planned by closing the first: the card's check day has come.
	const secondMeeting = await holdMeeting(teamPath, aicha, camille, ['Reposée', 'Pressée']);
	expect(secondMeeting).not.toBe(firstMeeting);
	await step(camille, /Amélioration continue/).click();
	await expect(step(aicha, /Amélioration continue/)).toHaveAttribute('aria-current', 'step', LIVE);
	const due = (p: Page) =>
		p.getByRole('heading', { name: 'Contre-mesures à vérifier' }).locator('..');
	for (const p of [aicha, camille]) {
		await expect(due(p).getByRole('listitem').filter({ hasText: PROBLEM })).toContainText(
			'vérification le'
		);
		await due(p).getByRole('link', { name: PROBLEM }).click();
	}
	// The result, reviewed together: Camille writes it, Aïcha sees it.
	await field(camille, 'Ce qui a changé, sur le chiffre ou sur le terrain').fill(RESULT);
	await expect(field(aicha, 'Ce qui a changé, sur le chiffre ou sur le terrain')).toHaveValue(
		RESULT,
		LIVE
	);

	// The card proposes a care standard, drafted from it.
	await aicha.getByRole('link', { name: 'Proposer comme standard de soin' }).click();
	await expect(
		aicha.getByText(new RegExp(`Tiré de la carte d’amélioration «\\s${PROBLEM}\\s»`))
	).toBeVisible();
	await expect(aicha.getByLabel('Titre', { exact: true })).toHaveValue(PROBLEM);
	await expect(aicha.getByLabel(/^Étapes/)).toHaveValue(TEST);
	await aicha.getByLabel('Titre', { exact: true }).fill('Set de pansement prêt la veille');
	await aicha
		.getByLabel('Quand il s’applique')
		.fill('Toute personne qui a un pansement le soir ou le lendemain matin.');
	await aicha.getByLabel(/^Matériel/).fill('Set de pansement\nCompresses stériles');
	await aicha.getByRole('button', { name: 'Proposer ce standard' }).click();
	await expect(aicha.getByRole('heading', { name: DECISION })).toBeVisible(LIVE);

	// Camille's board shows the card proposed without a reload, and leads her to the decision.
	const card = cardSection(camille);
	await expect(card.getByText(/État\s:\sProposée à l’équipe/)).toBeVisible(LIVE);
	await card.getByRole('link', { name: 'Voir la décision' }).click();
	await expect(camille.getByRole('heading', { name: DECISION })).toBeVisible(LIVE);

	// Consent, in the meeting: those present answer, each seeing the other's move live.
	await aicha.getByRole('button', { name: 'Ouvrir le tour de consentement' }).click();
	await expect(camille.getByRole('button', { name: 'Envoyer ma réponse' })).toBeVisible(LIVE);
	await camille.getByRole('radio', { name: /^Consentement$/ }).check();
	await camille.getByRole('button', { name: 'Envoyer ma réponse' }).click();
	await expect(
		aicha
			.getByRole('list', { name: 'Réponses du tour' })
			.getByRole('listitem')
			.filter({ hasText: 'Camille Lefèvre' })
	).toContainText('Consentement', LIVE);
	await aicha.getByRole('radio', { name: /^Consentement$/ }).check();
	await aicha.getByRole('button', { name: 'Envoyer ma réponse' }).click();
	for (const p of [camille, aicha])
		await expect(p.getByRole('status').first()).toContainText('Adoptée', LIVE);

	// The card reads adopted and leads to the standard, in force in the team's library.
	await camille.goBack();
	await expect(cardSection(camille).getByText(/État\s:\sAdoptée comme façon de faire/)).toBeVisible(
		LIVE
	);
	await expect(
		camille
			.getByRole('region', { name: 'Proposées et adoptées' })
			.getByRole('button', { name: new RegExp(PROBLEM) })
	).toContainText('Adoptée comme façon de faire');
	await shoot(camille, 'kaizen-card-adopted');
	await cardSection(camille).getByRole('link', { name: 'Voir le standard de soin' }).click();
	await expect(
		camille.getByRole('heading', { name: 'Set de pansement prêt la veille', level: 1 })
	).toBeVisible();
	await expect(camille.getByText('Version 1 en vigueur').first()).toBeVisible();
	await camille.getByRole('link', { name: 'Standards de soin' }).first().click();
	await expect(
		camille.getByRole('link', { name: /Set de pansement prêt la veille/ })
	).toContainText('Version 1 en vigueur');

	await closeMeeting(aicha, camille, secondMeeting);
	const minute = aicha
		.getByRole('listitem')
		.filter({ hasText: DECISION })
		.filter({ hasText: 'Consentement de' });
	await expect(minute).toContainText('Adoptée');

	// The standard on the day: linked from a client's care plan, the visit leads to it.
	await openWorkingDay(aicha, 'Aïcha Benali');
	const firstVisit = aicha
		.getByRole('list', { name: /^Journée du/ })
		.locator(':scope > li')
		.first();
	await expect(firstVisit).toBeVisible(LIVE);
	await firstVisit.getByRole('link', { name: 'Ouvrir la fiche' }).click();
	await expect(aicha.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible(LIVE);
	await aicha
		.getByLabel('Choisir un standard')
		.selectOption({ label: 'Set de pansement prêt la veille' });
	await aicha.getByRole('button', { name: 'Lier un standard' }).click();
	await expect(aicha.getByRole('link', { name: 'Set de pansement prêt la veille' })).toBeVisible();
	await aicha.goBack();
	await firstVisit
		.getByRole('list', { name: 'Standards de soin' })
		.getByRole('link', { name: 'Set de pansement prêt la veille' })
		.click();
	await expect(
		aicha.getByRole('heading', { name: 'Set de pansement prêt la veille', level: 1 })
	).toBeVisible();

	// The lesson, shared with the other teams in the team's own words.
	await aicha.goto(`${teamPath}/kaizen`);
	await aicha
		.getByRole('region', { name: 'Proposées et adoptées' })
		.getByRole('button', { name: new RegExp(PROBLEM) })
		.click();
	await cardSection(aicha).getByLabel('Titre de la leçon').fill(LESSON);
	await cardSection(aicha)
		.getByLabel('Ce que nous avons appris')
		.fill('Un set prêt la veille au soir, et le stock vérifié le vendredi : plus de soin refait.');
	await cardSection(aicha).getByRole('button', { name: 'Partager', exact: true }).click();
	await expect(aicha.getByText('Leçon partagée avec les autres équipes.')).toBeVisible(LIVE);

	// A nurse of another team reads it and copies it as a card of her own board.
	const isabelle = await logInAsDemo(browser, ISABELLE);
	await isabelle.getByRole('link', { name: /Équipe Villeurbanne Nord/ }).click();
	await isabelle.getByRole('link', { name: 'Amélioration continue' }).click();
	await isabelle.getByRole('link', { name: 'Leçons des équipes' }).click();
	const lesson = isabelle.getByRole('listitem').filter({
		has: isabelle.getByRole('heading', { name: LESSON })
	});
	await expect(lesson).toContainText('Équipe Croix-Rousse');
	await expect(lesson).toContainText('le stock vérifié le vendredi');
	await shoot(isabelle, 'kaizen-lessons');
	await lesson.getByRole('button', { name: 'Copier dans notre tableau' }).click();
	await expect(field(isabelle, 'Le problème en une ligne')).toHaveValue(LESSON, LIVE);
	await expect(field(isabelle, 'Ce qu’on pourrait faire')).toHaveValue(
		/le stock vérifié le vendredi/
	);
	await expect(
		isabelle
			.getByRole('region', { name: 'À analyser' })
			.getByRole('button', { name: new RegExp(LESSON) })
	).toContainText('copiée d’une leçon');
	// Her own board: Croix-Rousse's card is not there.
	await expect(isabelle.getByRole('button', { name: new RegExp(PROBLEM) })).toHaveCount(0);

	await Promise.all([aicha, camille, isabelle].map((p) => p.context().close()));
});
