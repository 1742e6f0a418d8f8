import { expect, test } from '@playwright/test';
import { openCroixRousse, printLiveTrailsOnFailure } from './demo';

printLiveTrailsOnFailure();

test('two colleagues edit the board live, and an edit made offline syncs when back online', async ({
	browser
}) => {
	const aicha = await openCroixRousse(browser, 'aicha.benali@demo.kring.example');
	const julien = await openCroixRousse(browser, 'julien.moreau@demo.kring.example');

	// Each sees the other present.
	await expect(aicha.getByRole('list', { name: 'Aussi ici :' })).toContainText('Julien Moreau');
	await expect(julien.getByRole('list', { name: 'Aussi ici :' })).toContainText('Aïcha Benali');

	// Aïcha adds a note; Julien sees it within a second.
	await aicha.getByRole('button', { name: 'Ajouter une note' }).click();
	const note = aicha.getByLabel('Note d’Aïcha Benali').first();
	await note.fill('Mme Garnier : clés chez la voisine');
	await expect(julien.getByLabel('Note d’Aïcha Benali').first()).toHaveValue(
		'Mme Garnier : clés chez la voisine',
		{
			timeout: 1_000
		}
	);
	await expect(aicha.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible();
	// Julien sees that Aïcha is working on that note.
	await expect(julien.getByText('Aïcha Benali modifie')).toBeVisible();

	// Julien goes offline, edits, and the board says his edit is kept on the device.
	await julien.context().setOffline(true);
	await expect(julien.locator('[data-status="offline"]')).toBeVisible({
		timeout: 10_000
	});
	await julien.getByRole('button', { name: 'Ajouter une note' }).click();
	await julien.getByLabel('Note de Julien Moreau').first().fill('Passage infirmier avancé à 8 h');
	await expect(aicha.getByLabel('Note de Julien Moreau')).toHaveCount(0);

	// Back online: both converge, and Julien's board says saved.
	await julien.context().setOffline(false);
	await expect(aicha.getByLabel('Note de Julien Moreau').first()).toHaveValue(
		'Passage infirmier avancé à 8 h',
		{
			timeout: 15_000
		}
	);
	await expect(julien.getByRole('status').filter({ hasText: 'Enregistré' })).toBeVisible({
		timeout: 15_000
	});

	// A reload shows what the server stored.
	await aicha.reload();
	await expect(aicha.getByLabel('Note de Julien Moreau').first()).toHaveValue(
		'Passage infirmier avancé à 8 h'
	);
	await expect(aicha.getByLabel('Note d’Aïcha Benali').first()).toHaveValue(
		'Mme Garnier : clés chez la voisine'
	);

	await Promise.all([aicha.context().close(), julien.context().close()]);
});
