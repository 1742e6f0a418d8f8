import { expect, test } from '@playwright/test';
import { logInAsDemo } from './demo';

test('screenshots', async ({ browser }) => {
	const page = await logInAsDemo(browser, 'aicha.benali@demo.kring.example');
	for (const width of [390, 1280]) {
		await page.setViewportSize({ width, height: 844 });
		await page.goto('/day?date=' + new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
		await expect(page.getByText(/^\d+ passages?$/)).toBeVisible();
		await page.waitForTimeout(1000);
		await page.screenshot({ path: `/tmp/day-shots/day-${width}.png`, fullPage: width === 390 });
		const card = await page
			.getByRole('link', { name: 'Ouvrir la fiche' })
			.first()
			.getAttribute('href');
		await page.goto(card!);
		await expect(page.getByRole('heading', { name: 'Pour entrer' })).toBeVisible();
		await page.waitForTimeout(1000);
		await page.screenshot({ path: `/tmp/day-shots/card-${width}.png`, fullPage: true });
	}
});
