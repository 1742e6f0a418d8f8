// Draws Kring's app icons (static/icons/*.png) from SVG with the system Chromium, so the PNGs are
// real renderings of one drawing. Run by hand after changing the drawing: `node scripts/make-icons.js`
// (the PNGs are committed; builds do not need a browser).
import { chromium } from '@playwright/test';

const BRAND = '#0f5e59';

/**
 * The ring of the logo, white on the brand colour. `inset`: the share of the side left around.
 * @param {{ rounded: boolean, inset: number }} icon
 */
const drawing = ({ rounded, inset }) => `
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100%" height="100%">
	<rect width="100" height="100" rx="${rounded ? 22 : 0}" fill="${BRAND}"/>
	<circle cx="50" cy="50" r="${(50 - inset * 50) * 0.62}" fill="none" stroke="#fff"
		stroke-width="${(50 - inset * 50) * 0.28}"/>
</svg>`;

const icons = [
	// purpose "any": a rounded square, the ring filling it
	{ file: 'icon-192.png', size: 192, rounded: true, inset: 0.1 },
	{ file: 'icon-512.png', size: 512, rounded: true, inset: 0.1 },
	// purpose "maskable": full bleed, the ring inside the 80 % safe zone the platform may crop to
	{ file: 'icon-maskable-512.png', size: 512, rounded: false, inset: 0.3 },
	{ file: 'icon-maskable-192.png', size: 192, rounded: false, inset: 0.3 },
	// iOS home screen (it rounds the corners itself)
	{ file: 'apple-touch-icon.png', size: 180, rounded: false, inset: 0.15 }
];

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
});
try {
	const page = await browser.newPage();
	for (const icon of icons) {
		await page.setViewportSize({ width: icon.size, height: icon.size });
		await page.setContent(
			`<html><body style="margin:0;background:transparent">${drawing(icon)}</body></html>`
		);
		await page.screenshot({ path: `static/icons/${icon.file}`, omitBackground: true });
		console.log(`static/icons/${icon.file}`);
	}
} finally {
	await browser.close();
}
