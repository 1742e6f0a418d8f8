import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { logInAsDemo } from './demo';

// The accessibility pass: axe (its default WCAG A/AA and best-practice rules, and WCAG 2.5.3) on every page a member, a coach and a
// visitor can reach by following links from their home page, at phone (390 px) and desktop
// (1280 px) widths; any serious or critical violation fails. Pages are found by crawling, not
// listed by hand: a new page is checked as soon as something links to it. One page per route
// shape (the first client card stands for all cards). axe runs as an injected script, which the
// pages' Content-Security-Policy forbids: the test's browser context bypasses CSP, the app does not
// change.

const WIDTHS = [
	{ name: 'phone', width: 390, height: 844 },
	{ name: 'desktop', width: 1280, height: 800 }
];
/** Links the crawl does not follow: downloads, feeds, leaving, other sites. */
const SKIP =
	/^\/(logout|api|feed|dev|language)(\/|$)|\.(csv|ics|md|json|webmanifest)$|\/export(\/|$)/;
const MAX_PAGES = 60;

/** The route shape of a path: ids, weeks and dates become placeholders. */
function shapeOf(path: string): string {
	return path
		.split('/')
		.map((s) =>
			/^\d{4}-W\d{2}$/.test(s)
				? '[week]'
				: /^\d{4}-\d{2}-\d{2}$/.test(s)
					? '[date]'
					: /^[a-z0-9_-]{16,}$/i.test(s) || /\d/.test(s)
						? '[id]'
						: s
		)
		.join('/');
}

async function linksOf(page: Page, origin: string): Promise<string[]> {
	const hrefs = await page
		.locator('a[href]:not([download])')
		.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
	const paths: string[] = [];
	for (const href of hrefs) {
		const url = new URL(href);
		if (url.origin !== origin || SKIP.test(url.pathname)) continue;
		paths.push(url.pathname);
	}
	return paths;
}

interface Finding {
	page: string;
	width: string;
	rule: string;
	impact: string;
	targets: string;
}

async function check(page: Page, path: string, findings: Finding[]): Promise<void> {
	for (const size of WIDTHS) {
		await page.setViewportSize({ width: size.width, height: size.height });
		// axe's default rules (WCAG 2.0-2.2 A/AA and best practices), plus one it ships as
		// experimental: a control's accessible name must contain its visible words (WCAG 2.5.3).
		const result = await new AxeBuilder({ page })
			.options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
			.analyze();
		for (const v of result.violations) {
			if (v.impact !== 'serious' && v.impact !== 'critical') continue;
			findings.push({
				page: path,
				width: size.name,
				rule: v.id,
				impact: v.impact,
				targets: v.nodes
					.slice(0, 3)
					.map((n) => n.target.join(' '))
					.join(' | ')
			});
		}
	}
}

/** Visits what the person can reach from `start`, one page per route shape; axe on each. */
async function crawl(
	page: Page,
	start: string
): Promise<{ visited: string[]; findings: Finding[] }> {
	const origin = new URL(page.url()).origin;
	const queue = [start];
	const shapes = new Set<string>();
	const visited: string[] = [];
	const findings: Finding[] = [];
	while (queue.length > 0 && visited.length < MAX_PAGES) {
		const path = queue.shift()!;
		const shape = shapeOf(path);
		if (shapes.has(shape)) continue;
		shapes.add(shape);
		const response = await page.goto(path);
		if (response === null || response.status() >= 400) continue;
		await page.waitForLoadState('networkidle').catch(() => {});
		visited.push(path);
		await check(page, path, findings);
		for (const link of await linksOf(page, origin))
			if (!shapes.has(shapeOf(link))) queue.push(link);
	}
	return { visited, findings };
}

async function bypassingCsp(browser: Browser): Promise<Page> {
	return (await browser.newContext({ bypassCSP: true })).newPage();
}

function report(findings: Finding[]): string {
	return findings
		.map((f) => `${f.page} (${f.width}): ${f.rule} [${f.impact}] at ${f.targets}`)
		.join('\n');
}

test.describe('accessibility (axe, serious and critical)', () => {
	test.describe.configure({ timeout: 600_000 });

	test('every page a visitor can reach', async ({ browser }) => {
		const page = await bypassingCsp(browser);
		await page.goto('/login');
		const { visited, findings } = await crawl(page, '/login');
		for (const path of ['/signup', '/reset', '/offline']) {
			if (visited.includes(path)) continue;
			await page.goto(path);
			visited.push(path);
			await check(page, path, findings);
		}
		expect(visited.length).toBeGreaterThanOrEqual(4);
		expect(findings, report(findings)).toEqual([]);
	});

	for (const who of [
		{ role: 'member', email: 'aicha.benali@demo.kring.example', least: 20 },
		{ role: 'coach', email: 'claire.morel@demo.kring.example', least: 3 }
	]) {
		test(`every page a ${who.role} can reach`, async ({ browser }) => {
			const signedIn = await logInAsDemo(browser, who.email);
			const cookies = await signedIn.context().cookies();
			const page = await bypassingCsp(browser);
			await page.context().addCookies(cookies);
			await page.goto('/');
			const { visited, findings } = await crawl(page, '/');
			console.info(
				`[axe] ${who.role}: ${visited.length} pages at two widths: ${visited.map(shapeOf).join(', ')}`
			);
			expect(visited.length).toBeGreaterThanOrEqual(who.least);
			expect(findings, report(findings)).toEqual([]);
		});
	}
});
