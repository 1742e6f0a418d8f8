// Figures for "Ma journée" on a phone (issue 16), printed, never asserted against a time or a size
// (machines are shared): `npx vitest run --project bench tests/bench/day.bench.test.ts`.
// - The JavaScript a phone needs for the day page, from the build's own manifests: the client
//   entries and everything they import, plus the day route's layout and page nodes with their
//   imports; each file gzipped here (node:zlib, default level). Aim: under 150 KB.
// - The time from navigation to the day rendered offline: Chromium (Pixel 7 profile), the member's
//   day opened online once (the service worker keeps the page, y-indexeddb the caseload and rota),
//   then the network cut and the page opened again, ten times; "rendered" is when the day's list of
//   visits (or its "no visit" line) is in the page, seen by a MutationObserver. Aim: under 1 s.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, devices } from '@playwright/test';
import { afterAll, describe, expect, it } from 'vitest';
import { demo, logInAs } from '../helpers/demo';
import { startServer, type RunningServer } from '../helpers/server';
import { ensureBuilt } from './lib/app-build';
import { S6_DEVICE } from './lib/config';
import { median } from './lib/stats';

const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
const OUTPUT = '.svelte-kit/output';
const DAY_ROUTE = '/teams/[teamId]/day';
const OFFLINE_RUNS = 10;
const KB = 1024;

interface ViteChunk {
	file: string;
	isEntry?: boolean;
	imports?: string[];
}

/** The built client files the day page loads: entries (with their imports) and its route nodes. */
function dayPageFiles(): string[] {
	const vite = JSON.parse(
		readFileSync(path.join(OUTPUT, 'client/.vite/manifest.json'), 'utf8')
	) as Record<string, ViteChunk>;
	const files = new Set<string>();
	const visit = (key: string) => {
		const chunk = vite[key];
		if (chunk === undefined || files.has(chunk.file)) return;
		files.add(chunk.file);
		for (const next of chunk.imports ?? []) visit(next);
	};
	// SvelteKit's two entries (its client runtime and the app's router); every route node is an
	// entry too, loaded only for its own page.
	const entries = Object.keys(vite).filter(
		(key) =>
			vite[key]!.isEntry &&
			(key.endsWith('runtime/client/entry.js') || key.endsWith('client-optimized/app.js'))
	);
	if (entries.length !== 2) throw new Error(`expected 2 client entries, found ${entries.length}`);
	for (const key of entries) visit(key);
	const manifest = readFileSync(path.join(OUTPUT, 'server/manifest.js'), 'utf8');
	const at = manifest.indexOf(`id: ${JSON.stringify(DAY_ROUTE)}`);
	const page = /page: \{ layouts: \[([\d,\s]*)\], errors: \[[\d,\s]*\], leaf: (\d+) \}/.exec(
		manifest.slice(at)
	);
	if (at < 0 || page === null) throw new Error(`no ${DAY_ROUTE} route in the build's manifest`);
	const nodes = [...page[1]!.split(',').filter((n) => n.trim() !== ''), page[2]!];
	for (const node of nodes) {
		const source = readFileSync(path.join(OUTPUT, `server/nodes/${node.trim()}.js`), 'utf8');
		const imports = /export const imports = (\[[^\]]*\])/.exec(source);
		if (imports === null) throw new Error(`node ${node} lists no imports`);
		for (const file of JSON.parse(imports[1]!) as string[]) files.add(file);
	}
	return [...files].filter((f) => f.endsWith('.js'));
}

let server: RunningServer | undefined;

afterAll(async () => {
	await server?.stop();
});

describe('Ma journée on a phone', () => {
	it('weighs its JavaScript, gzipped, from the build’s manifests', async () => {
		await ensureBuilt();
		const sizes = dayPageFiles().map((file) => {
			const bytes = readFileSync(path.join(OUTPUT, 'client', file));
			return { file, raw: bytes.byteLength, gzip: gzipSync(bytes).byteLength };
		});
		expect(sizes.length).toBeGreaterThan(3);
		const raw = sizes.reduce((n, s) => n + s.raw, 0) / KB;
		const gzip = sizes.reduce((n, s) => n + s.gzip, 0) / KB;
		const largest = [...sizes].sort((a, b) => b.gzip - a.gzip).slice(0, 5);
		console.info(
			`[bench] day page JavaScript: ${sizes.length} files, ${raw.toFixed(0)} KiB, ` +
				`${gzip.toFixed(1)} KiB gzipped (aim < 150 KB); largest gzipped: ` +
				largest.map((s) => `${path.basename(s.file)} ${(s.gzip / KB).toFixed(1)}`).join(', ')
		);
	});

	it('times the day rendered offline from the service worker and IndexedDB', async () => {
		await ensureBuilt();
		expect(existsSync(CHROMIUM)).toBe(true);
		server = await startServer();
		const member = await logInAs(server.origin, demo.memberA);
		const browser = await chromium.launch({
			executablePath: CHROMIUM,
			args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
		});
		try {
			const context = await browser.newContext({ ...devices[S6_DEVICE], locale: 'fr-FR' });
			await context.addCookies([
				{ name: 'session', value: member.sessionCookie!, url: server.origin }
			]);
			// When the day's content first appears, in ms after the navigation began.
			await context.addInitScript(() => {
				const done = () =>
					document.querySelector('ol[aria-label^="Journée du"] > li') !== null ||
					[...document.querySelectorAll('p')].some((p) =>
						/^\d+ passages?$|^Aucun passage/.test(p.textContent?.trim() ?? '')
					);
				const observer = new MutationObserver(() => {
					if (!done()) return;
					(window as unknown as { dayRendered: number }).dayRendered = performance.now();
					observer.disconnect();
				});
				observer.observe(document, { childList: true, subtree: true, characterData: true });
			});
			const page = await context.newPage();
			const rendered = () =>
				page.waitForFunction(() => (window as unknown as { dayRendered?: number }).dayRendered);
			// Online: the worker installs and takes the page, then the day is opened through it.
			await page.goto(`${server.origin}/day`);
			await page.evaluate(async () => {
				await navigator.serviceWorker.ready;
				if (navigator.serviceWorker.controller === null)
					await new Promise((resolve) =>
						navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true })
					);
			});
			await page.goto(`${server.origin}/day`);
			await rendered();
			const dayUrl = page.url();
			const kept = () =>
				page.evaluate(
					async (href) => (await caches.match(href, { ignoreVary: true })) !== undefined,
					dayUrl
				);
			for (let i = 0; i < 600 && !(await kept()); i++) await page.waitForTimeout(100);
			expect(await kept()).toBe(true);
			// Saved on the device once the live documents said so (the status line: « Enregistré »).
			await page.getByText('Enregistré').first().waitFor({ timeout: 60_000 });

			await context.setOffline(true);
			const times: number[] = [];
			for (let i = 0; i < OFFLINE_RUNS; i++) {
				await page.goto(dayUrl);
				const handle = await rendered();
				times.push(Number(await handle.jsonValue()));
			}
			expect(await page.locator('[data-offline-banner]').count()).toBe(1);
			const sorted = [...times].sort((a, b) => a - b);
			console.info(
				`[bench] day page offline, navigation → day rendered (Chromium, ${S6_DEVICE}), ` +
					`${OFFLINE_RUNS} runs: median ${median(times).toFixed(0)} ms, ` +
					`min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)} ms (aim < 1 s)`
			);
			await context.close();
		} finally {
			await browser.close();
		}
	});
});
