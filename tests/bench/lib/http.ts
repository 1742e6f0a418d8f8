// S6: the app's pages over HTTP, against the built app (`node server.js` on a fresh Postgres
// database with the demo organisation seeded). autocannon at 50 concurrent connections with a
// demo member's session cookie on the rota week and the caseload, against two baselines of the
// same server: /robots.txt, a file from static/ served as it is (truly static: no hook, no
// render), and /login, rendered per request but reading nothing. Then the JavaScript a phone
// downloads to open the rota page: Chromium (Pixel 7 emulation) opens it logged in, every script
// response is gzipped here with node:zlib and summed.
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, devices } from '@playwright/test';
import autocannon from 'autocannon';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { startServer } from '../../helpers/server';
import { ensureBuilt } from './app-build';
import { S6_DEVICE } from './config';
import { median, sleep } from './stats';

type S6Page = 'rota' | 'caseload' | 'login' | 'static';

interface PageRun {
	page: S6Page;
	path: string;
	/** One request at a time (the warm-up): the page's own service time, p50 ms. */
	aloneP50: number;
	p50: number;
	p99: number;
	requestsPerSecond: number;
	requests: number;
	non2xx: number;
	errors: number;
}

export interface S6Result {
	connections: number;
	seconds: number;
	rounds: number;
	/** Medians over the rounds, per page. */
	pages: (PageRun & { p99PerRound: number[] })[];
	runs: PageRun[];
	/** The rota page's p99 and requests/s against the static file's. */
	rotaVsStatic: { p99: number; requestsPerSecond: number };
	js: {
		files: number;
		rawKB: number;
		gzipKB: number;
		largest: { url: string; gzipKB: number }[];
	} | null;
	/** Why the JavaScript weight was not measured, if it was not. */
	jsSkipped: string | null;
	failures: string[];
}

const CHROMIUM = process.env.BENCH_CHROMIUM || '/usr/bin/chromium';
const WARM_UP_REQUESTS = 20;
const KB = 1024;

async function hammer(
	origin: string,
	page: S6Page,
	path: string,
	cookie: string | null,
	aloneP50: number,
	options: { connections: number; seconds: number }
): Promise<PageRun> {
	const result = await autocannon({
		url: origin + path,
		connections: options.connections,
		duration: options.seconds,
		headers: cookie === null ? { accept: 'text/html' } : { accept: 'text/html', cookie }
	});
	return {
		page,
		path,
		aloneP50,
		p50: result.latency.p50,
		p99: result.latency.p99,
		requestsPerSecond: result.requests.average,
		requests: result.requests.total,
		non2xx: result.non2xx,
		errors: result.errors
	};
}

async function scriptWeight(origin: string, path: string, token: string): Promise<S6Result['js']> {
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
	});
	try {
		const context = await browser.newContext({ ...devices[S6_DEVICE] });
		await context.addCookies([{ name: 'session', value: token, url: origin }]);
		const page = await context.newPage();
		const scripts = new Map<string, Promise<Buffer | null>>();
		page.on('response', (response) => {
			const type = response.request().resourceType();
			const contentType = response.headers()['content-type'] ?? '';
			if (type === 'script' || contentType.includes('javascript'))
				scripts.set(
					response.url(),
					response.body().catch(() => null)
				);
		});
		const response = await page.goto(origin + path, { waitUntil: 'networkidle' });
		if (response?.status() !== 200)
			throw new Error(`Chromium got ${response?.status()} for ${path}`);
		await sleep(1_000); // anything loaded late (a lazy chunk after hydration)
		const sizes = await Promise.all(
			[...scripts].map(async ([url, body]) => {
				const bytes = await body;
				return { url, raw: bytes?.byteLength ?? 0, gzip: bytes ? gzipSync(bytes).byteLength : 0 };
			})
		);
		await context.close();
		sizes.sort((a, b) => b.gzip - a.gzip);
		return {
			files: sizes.length,
			rawKB: sizes.reduce((n, s) => n + s.raw, 0) / KB,
			gzipKB: sizes.reduce((n, s) => n + s.gzip, 0) / KB,
			largest: sizes.slice(0, 5).map((s) => ({ url: new URL(s.url).pathname, gzipKB: s.gzip / KB }))
		};
	} finally {
		await browser.close();
	}
}

export async function runS6(options: {
	connections: number;
	seconds: number;
	rounds: number;
	/** Another checkout (the earlier Kring of a before-and-after run); this one by default. */
	appDir?: string;
}): Promise<S6Result> {
	const failures: string[] = [];
	const failed = (why: string): S6Result => ({
		...options,
		pages: [],
		runs: [],
		rotaVsStatic: { p99: NaN, requestsPerSecond: NaN },
		js: null,
		jsSkipped: 'S6 failed before',
		failures: [...failures, why]
	});
	let server: Awaited<ReturnType<typeof startServer>>;
	// A fresh Postgres database for the app (the helper picks its target from KRING_TEST_DB).
	const previous = process.env.KRING_TEST_DB;
	try {
		await ensureBuilt(options.appDir);
		process.env.KRING_TEST_DB = 'postgres';
		server = await startServer({ env: { NODE_ENV: 'production' }, cwd: options.appDir });
	} catch (error) {
		return failed(
			`S6 could not start the app: ${error instanceof Error ? error.message : String(error)}`
		);
	} finally {
		if (previous === undefined) delete process.env.KRING_TEST_DB;
		else process.env.KRING_TEST_DB = previous;
	}
	try {
		const member = await logInAs(server.origin, demo.memberA);
		const token = member.sessionCookie!;
		const teamId = (await teamIdsOf(member))[0];
		if (teamId === undefined) throw new Error(`${demo.memberA} sees no team`);
		const rota = await member.get(`/teams/${teamId}/rota`);
		const week = rota.headers.get('location');
		if (rota.status !== 303 || week === null)
			throw new Error(`/teams/${teamId}/rota answered ${rota.status}, not a redirect to a week`);
		const pages: { page: S6Page; path: string; cookie: string | null }[] = [
			{ page: 'rota', path: week, cookie: `session=${token}` },
			{ page: 'caseload', path: `/teams/${teamId}/caseload`, cookie: `session=${token}` },
			{ page: 'login', path: '/login', cookie: null },
			{ page: 'static', path: '/robots.txt', cookie: null }
		];
		const alone = new Map<S6Page, number>();
		for (const p of pages) {
			const samples: number[] = [];
			for (let i = 0; i < WARM_UP_REQUESTS; i++) {
				const started = performance.now();
				const response = await fetch(server.origin + p.path, {
					redirect: 'manual',
					headers: p.cookie === null ? {} : { cookie: p.cookie }
				});
				await response.arrayBuffer();
				samples.push(performance.now() - started);
				if (response.status !== 200) {
					failures.push(`S6 ${p.page} ${p.path}: answered ${response.status}`);
					break;
				}
			}
			// The later half only: the first requests warm the JIT and the caches.
			alone.set(p.page, median(samples.slice(Math.floor(samples.length / 2))));
		}
		const runs: PageRun[] = [];
		for (let round = 1; round <= options.rounds; round++) {
			for (const p of pages) {
				const run = await hammer(
					server.origin,
					p.page,
					p.path,
					p.cookie,
					alone.get(p.page)!,
					options
				);
				runs.push(run);
				if (run.non2xx > 0 || run.errors > 0)
					failures.push(
						`S6 ${p.page} round ${round}: ${run.non2xx} answers not 2xx, ${run.errors} errors of ${run.requests}`
					);
			}
		}
		const summary = pages.map((p) => {
			const mine = runs.filter((r) => r.page === p.page);
			return {
				page: p.page,
				path: p.path,
				aloneP50: alone.get(p.page)!,
				p50: median(mine.map((r) => r.p50)),
				p99: median(mine.map((r) => r.p99)),
				requestsPerSecond: median(mine.map((r) => r.requestsPerSecond)),
				requests: mine.reduce((n, r) => n + r.requests, 0),
				non2xx: mine.reduce((n, r) => n + r.non2xx, 0),
				errors: mine.reduce((n, r) => n + r.errors, 0),
				p99PerRound: mine.map((r) => r.p99)
			};
		});
		const of = (page: S6Page) => summary.find((s) => s.page === page)!;
		let js: S6Result['js'] = null;
		let jsSkipped: string | null = null;
		if (!existsSync(CHROMIUM)) jsSkipped = `no Chromium at ${CHROMIUM}`;
		else {
			try {
				js = await scriptWeight(server.origin, week, token);
			} catch (error) {
				failures.push(`S6 page weight: ${error instanceof Error ? error.message : String(error)}`);
			}
		}
		return {
			...options,
			pages: summary,
			runs,
			rotaVsStatic: {
				p99: of('rota').p99 / of('static').p99,
				requestsPerSecond: of('rota').requestsPerSecond / of('static').requestsPerSecond
			},
			js,
			jsSkipped,
			failures
		};
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		return failed(`S6: ${why}\n${server.output().slice(-4_000)}`);
	} finally {
		await server.stop();
	}
}
