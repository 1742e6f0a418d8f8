import { expect, test } from '@playwright/test';
import { openCroixRousse } from './demo';

// A team arrives with its caseload in a spreadsheet: 30 people, two rows wrong. Kring says which
// two and why, in words, and imports nothing; the corrected file (the 28 good rows) goes in whole.

const HEADER = 'Civilité;Prénom;Nom;Adresse;Code postal;Ville;Secteur;Statut;Téléphone';
const FIRST = ['Jeanne', 'Marcel', 'Odette', 'Lucien', 'Simone', 'René'];
const LAST = ['Vasseur', 'Lemaire', 'Carpentier', 'Delattre', 'Brunet'];

function row(i: number): string {
	const woman = i % 2 === 0;
	return [
		woman ? 'Mme' : 'M.',
		FIRST[i % FIRST.length],
		`${LAST[i % LAST.length]}-Import${i + 1}`,
		`${i + 1} rue d’Austerlitz`,
		'69004',
		'Lyon',
		'Plateau',
		'actif',
		`04 72 00 ${String(10 + i).padStart(2, '0')} 00`
	].join(';');
}

const good = Array.from({ length: 30 }, (_, i) => row(i));
// Line 8 of the file (row 7) has no name; line 21 (row 20) an unknown status.
const bad = good.map((line, i) =>
	i === 6
		? line.replace(/^Mme;Jeanne;Lemaire-Import7;/, 'Mme;;;')
		: i === 19
			? line.replace(/;actif;/, ';archivé;')
			: line
);
const csv = (lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n') + '\r\n', 'utf-8');

test('a CSV of 30 people with two bad rows says which and why, then the 28 good ones go in whole', async ({
	browser
}) => {
	test.setTimeout(180_000);
	const page = await openCroixRousse(browser, 'aicha.benali@demo.kring.example', 'caseload');
	await page.getByRole('link', { name: 'Importer depuis un tableur' }).click();
	await expect(page.getByRole('heading', { name: 'Importer la file active' })).toBeVisible();

	await page
		.getByLabel('Fichier CSV')
		.setInputFiles({ name: 'file-active.csv', mimeType: 'text/csv', buffer: csv(bad) });
	await page.getByRole('button', { name: 'Lire le fichier' }).click();
	const errors = page.getByRole('region', { name: /2 lignes à corriger avant l’import/ });
	await expect(errors).toBeVisible({ timeout: 30_000 });
	await expect(errors.getByRole('listitem')).toHaveCount(2);
	await expect(errors.getByRole('listitem').nth(0)).toContainText('le nom manque.');
	await expect(errors.getByRole('listitem').nth(1)).toContainText(
		'statut « archivé » inconnu : écrivez actif, en pause ou sorti.'
	);
	await expect(page.getByText('28 lignes prêtes sur 30.')).toBeVisible();
	// All or nothing: no import is offered while a row is wrong.
	await expect(page.getByRole('button', { name: /^Importer/ })).toHaveCount(0);

	// The team drops the two rows in its spreadsheet and reads the file again.
	await page.getByRole('link', { name: 'Choisir un autre fichier' }).click();
	await page.getByLabel('Fichier CSV').setInputFiles({
		name: 'file-active.csv',
		mimeType: 'text/csv',
		buffer: csv(good.filter((_, i) => i !== 6 && i !== 19))
	});
	await page.getByRole('button', { name: 'Lire le fichier' }).click();
	await expect(page.getByText('28 lignes prêtes sur 28.')).toBeVisible({ timeout: 30_000 });
	await page.getByRole('button', { name: 'Importer les 28 personnes' }).click();

	await expect(page.getByText('28 personnes importées dans la file active.')).toBeVisible({
		timeout: 30_000
	});
	await expect(page.getByText('Lemaire-Import2').first()).toBeVisible({ timeout: 15_000 });
	await expect(page.getByText('Brunet-Import30').first()).toBeVisible();
	await expect(page.getByText('Brunet-Import20')).toHaveCount(0);
	await page.context().close();
});
