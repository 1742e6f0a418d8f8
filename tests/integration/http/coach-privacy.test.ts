import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PULSE_MIN_ANSWERS } from '../../../src/lib/domain/pulse';
import { todayIn } from '../../../src/lib/domain/time-zone';
import { audienceOf, TEAM_ROUTE_PREFIX } from '../../../src/lib/server/auth/route-access';
import { DEMO_TEAMS } from '../../../src/lib/server/seed/people';
import { demoClients } from '../../../src/lib/server/seed/caseload';
import {
	DEMO_PULSE_UNSHOWN_WORDS,
	DEMO_PULSE_WORD_LIST,
	demoPulseWeeks
} from '../../../src/lib/server/seed/pulse';
import type { HttpClient } from '../../helpers/browser-like';
import { upgradeStatus } from '../../helpers/collab-client';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { discoverRoutes, routePath, type DiscoveredRoute } from '../../helpers/routes';
import { startServer, type RunningServer } from '../../helpers/server';
import { weekOf } from '../../../src/lib/domain/week';

// What the demo coach can reach, found from the route tree and by following links, must hold no
// client name, address, care need or contact, and no pulse word; what a coach may not reach
// answers 404. Pulse weeks under five answers show no figure, to the coach or to the team.

// Every route of the app ('' is the prefix of every route id).
const allRoutes = discoverRoutes('');
const teamRoutes = allRoutes.filter((r) => audienceOf(r.id) !== null);
const siteRoutes = allRoutes.filter((r) => audienceOf(r.id) === null);
/** Never requested: they change the session or the language, not what is shown. */
const SKIP = new Set(['/logout', '/language']);

// The demo caseload, rebuilt from the seed's own data: the same names and addresses it wrote.
const clients = DEMO_TEAMS.flatMap((t, i) =>
	demoClients(
		t.name,
		t.people.map((_, k) => `member-${k}`),
		2026 + i
	)
);
const CLIENT_SECRETS = [
	...new Set(
		clients.flatMap((c) => [
			c.name,
			c.address ?? '',
			c.needs ?? '',
			...(c.contacts ?? []).flatMap((contact) => [contact.name, contact.phone]),
			// How to get in (key box, door code…): members only.
			...Object.values(c.access ?? {})
		])
	)
].filter((s) => s.trim().length >= 6);

let server: RunningServer;
let coach: HttpClient;
let memberB: HttpClient;
let teamIds: string[];

/** `/teams/[teamId]/caseload/[clientId]` → a pattern for concrete paths. */
function routePattern(id: string): RegExp {
	const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const segments = id.split('/').map((segment) => {
		if (/^\[\.\.\.\w+\]$/.test(segment)) return '.+';
		return segment
			.split(/(\[\w+(?:=\w+)?\])/)
			.map((part) => (/^\[\w+(=\w+)?\]$/.test(part) ? '[^/]+' : escape(part)))
			.join('');
	});
	return new RegExp(`^${segments.join('/')}/?$`);
}
/** The team route a path belongs to (the most specific route matching it), or null. */
function teamRouteOf(pathname: string): DiscoveredRoute | null {
	const matching = allRoutes.filter((r) => routePattern(r.id).test(pathname));
	// Fixed segments win over parameters, as in SvelteKit (`/teams/new` is no team).
	matching.sort((a, b) => (a.id.match(/\[/g)?.length ?? 0) - (b.id.match(/\[/g)?.length ?? 0));
	const route = matching[0];
	return route !== undefined && audienceOf(route.id) !== null ? route : null;
}

/** HTML as text: entities decoded, so an escaped name is still found. */
function readable(body: string): string {
	return body
		.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
		.replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
		.replace(/&quot;/g, '"')
		.replace(/&apos;/g, "'")
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&nbsp;/g, '\u00a0')
		.replace(/&amp;/g, '&');
}

/** SvelteKit's `__data.json`: each node is a devalue-flattened array; rebuilt here as plain values. */
function unflatten(data: unknown[]): unknown {
	const seen = new Map<number, unknown>();
	const resolve = (index: number): unknown => {
		if (index < 0) return undefined; // undefined, holes, NaN, infinities, -0
		if (seen.has(index)) return seen.get(index);
		const value = data[index];
		if (Array.isArray(value)) {
			if (typeof value[0] === 'string') {
				seen.set(index, value); // a Date, Map, Set…: kept as it is
				return value;
			}
			const out: unknown[] = [];
			seen.set(index, out);
			for (const i of value as number[]) out.push(resolve(i));
			return out;
		}
		if (value !== null && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			seen.set(index, out);
			for (const [k, i] of Object.entries(value as Record<string, number>)) out[k] = resolve(i);
			return out;
		}
		return value;
	};
	return resolve(0);
}

function pageData(json: string): unknown[] {
	const parsed = JSON.parse(json) as { nodes?: ({ type: string; data?: unknown[] } | null)[] };
	return (parsed.nodes ?? [])
		.filter((n) => n !== null && n.type === 'data' && Array.isArray(n.data))
		.map((n) => unflatten(n!.data!));
}

/** Every object in a value, with the nearest `week` above it (or its own). */
function* objects(
	value: unknown,
	week: string | null = null,
	team: string | null = null
): Generator<{ node: Record<string, unknown>; week: string | null; team: string | null }> {
	if (Array.isArray(value)) {
		for (const item of value) yield* objects(item, week, team);
		return;
	}
	if (value === null || typeof value !== 'object') return;
	const node = value as Record<string, unknown>;
	const own = typeof node.week === 'string' ? node.week : week;
	const ownTeam = typeof node.teamId === 'string' ? node.teamId : team;
	yield { node, week: own, team: ownTeam };
	for (const child of Object.values(node)) yield* objects(child, own, ownTeam);
}

/** A count of colours: a pulse figure, or a part of one. */
const isColourCount = (node: Record<string, unknown>) =>
	['green', 'amber', 'red'].every((c) => typeof node[c] === 'number');

interface Seen {
	path: string;
	status: number;
	type: string;
	body: string;
	data: unknown[];
}

/**
 * Requests the start paths and every on-site link found in the pages, with each page's data
 * (`__data.json`) as well. Redirects that stay on the site are followed.
 */
async function crawl(client: HttpClient, start: string[], limit = 400): Promise<Seen[]> {
	const queue = [...new Set(start)];
	const done = new Set<string>();
	const seen: Seen[] = [];
	while (queue.length > 0 && done.size < limit) {
		const path = queue.shift()!;
		if (done.has(path)) continue;
		done.add(path);
		const response = await client.get(path);
		const type = response.headers.get('content-type') ?? '';
		const body = await response.text();
		let data: unknown[] = [];
		const location = response.headers.get('location');
		if (location !== null && location.startsWith('/') && !location.startsWith('//')) {
			queue.push(location);
		}
		if (response.status === 200 && type.includes('text/html')) {
			for (const match of body.matchAll(/href="(\/(?!\/)[^"#]*)/g)) {
				const link = readable(match[1]!);
				const pathname = link.split('?')[0]!;
				if (
					SKIP.has(pathname) ||
					pathname.startsWith('/_app/') ||
					/\.(css|js|png|svg|ico|webmanifest)$/.test(pathname)
				)
					continue;
				if (!done.has(link)) queue.push(link);
			}
			const [pathname, search] = path.split('?') as [string, string | undefined];
			const dataUrl = `${pathname.replace(/\/$/, '')}/__data.json${search ? `?${search}` : ''}`;
			const dataResponse = await client.get(dataUrl, { accept: 'application/json' });
			const json = await dataResponse.text();
			seen.push({ path: dataUrl, status: dataResponse.status, type: 'json', body: json, data: [] });
			if (dataResponse.status === 200) data = pageData(json);
		}
		seen.push({ path, status: response.status, type, body, data });
	}
	return seen;
}

function leaks(pages: Seen[], secrets: readonly string[]): string[] {
	const found: string[] = [];
	for (const page of pages) {
		const text = readable(page.body);
		for (const secret of secrets) if (text.includes(secret)) found.push(`${page.path}: ${secret}`);
	}
	return found;
}

/** The weeks of a demo team under PULSE_MIN_ANSWERS answers. */
function smallWeeks(teamIndex: number): string[] {
	return demoPulseWeeks(teamIndex, DEMO_TEAMS[teamIndex]!.people.length)
		.filter((w) => w.answers < PULSE_MIN_ANSWERS)
		.map((w) => w.week);
}

/**
 * Figures (colour counts) found in page data under a week that is small for the team they belong
 * to (from the page's path or the data's own `teamId`), and pages marking such a week as shown.
 */
function smallWeekFigures(pages: Seen[], small: ReadonlyMap<string, readonly string[]>): string[] {
	const found: string[] = [];
	for (const page of pages) {
		const pathTeam = /^\/teams\/([a-z2-7]{24})/.exec(page.path)?.[1] ?? null;
		for (const data of page.data) {
			for (const { node, week, team } of objects(data, null, pathTeam)) {
				const weeks = team === null ? [...small.values()].flat() : (small.get(team) ?? []);
				if (week !== null && weeks.includes(week) && isColourCount(node)) {
					found.push(`${page.path}: figure for ${week}`);
				}
			}
		}
		const weeks = pathTeam === null ? [...small.values()].flat() : (small.get(pathTeam) ?? []);
		for (const week of weeks) {
			if (page.body.includes(`data-pulse-week="${week}" data-pulse-shown="true"`)) {
				found.push(`${page.path}: ${week} shown`);
			}
		}
	}
	return found;
}

const thisWeek = () => weekOf(todayIn());

let coachPages: Seen[] = [];

beforeAll(async () => {
	server = await startServer();
	coach = await logInAs(server.origin, demo.coach);
	memberB = await logInAs(server.origin, demo.memberB);
	const memberA = await logInAs(server.origin, demo.memberA);
	teamIds = [...(await teamIdsOf(memberA)), ...(await teamIdsOf(memberB))];
	expect(teamIds).toHaveLength(2);
	// The coach does follow both demo teams.
	const home = await (await coach.get('/')).text();
	for (const t of DEMO_TEAMS) expect(home).toContain(t.name);

	const start = ['/', '/coach', '/account'];
	for (const route of siteRoutes) {
		if (SKIP.has(route.id) || !(route.hasPage || route.methods.includes('GET'))) continue;
		// A coach page of its own naming a team (`/coach/[teamId]`) is tried for both teams.
		for (const teamId of teamIds) start.push(routePath(route.id, { teamId, week: thisWeek() }));
	}
	for (const teamId of teamIds) {
		for (const route of teamRoutes) {
			if (audienceOf(route.id) !== 'members-and-coaches') continue;
			const path = routePath(route.id, { teamId, week: thisWeek() });
			if (route.hasPage || route.methods.includes('GET')) start.push(path);
		}
	}
	coachPages = await crawl(coach, start);
}, 240_000);

afterAll(async () => {
	await server?.stop();
});

describe('what the coach can reach', () => {
	it('walks the coach’s pages, their data and the links in them', () => {
		expect(CLIENT_SECRETS.length).toBeGreaterThan(50);
		expect(coachPages.find((p) => p.path === '/')?.status).toBe(200);
		expect(coachPages.some((p) => p.path === '/__data.json' && p.status === 200)).toBe(true);
		for (const page of coachPages) expect(page.status, page.path).toBeLessThan(500);
		// Every page the coach is meant to see, for both teams, opens.
		for (const teamId of teamIds) {
			for (const route of teamRoutes.filter((r) => audienceOf(r.id) === 'members-and-coaches')) {
				if (!route.hasPage || /\[(?!teamId\])/.test(route.id)) continue;
				const path = routePath(route.id, { teamId });
				expect(coachPages.find((p) => p.path === path)?.status, path).toBe(200);
			}
		}
	});

	it('holds no client name, address, care need or contact from the demo caseload', () => {
		expect(leaks(coachPages, CLIENT_SECRETS)).toEqual([]);
	});

	it('looks for the names the server really holds (the control: the team’s own export lists them)', async () => {
		const teamId = (await teamIdsOf(memberB))[0]!;
		let found: string[] = [];
		// The read model behind the export is rebuilt just after start.
		for (let tries = 0; tries < 50 && found.length === 0; tries++) {
			if (tries > 0) await new Promise((r) => setTimeout(r, 200));
			const response = await memberB.get(`/teams/${teamId}/caseload/export.csv`);
			const csv = {
				path: 'export.csv',
				status: response.status,
				type: '',
				body: await response.text(),
				data: []
			};
			found = leaks([csv], CLIENT_SECRETS);
		}
		expect(found.length).toBeGreaterThan(20);
	});

	it('holds no word from the demo pulse', () => {
		expect(leaks(coachPages, DEMO_PULSE_WORD_LIST)).toEqual([]);
	});

	it('answers 404 on every team page a link leads to that is not for coaches', () => {
		expect(teamRoutes.length).toBeGreaterThan(5);
		for (const page of coachPages) {
			const pathname = page.path.split('?')[0]!.replace(/\/__data\.json$/, '') || '/';
			const route = teamRouteOf(pathname);
			if (route === null || audienceOf(route.id) !== 'members') continue;
			expect(page.status, page.path).toBe(404);
		}
	});

	it('answers 404 on every team route not listed for coaches, pages, actions and endpoints alike', async () => {
		const refused = teamRoutes.filter((r) => audienceOf(r.id) === 'members');
		expect(refused.map((r) => r.id)).toContain(`${TEAM_ROUTE_PREFIX}/caseload`);
		expect(refused.map((r) => r.id)).toContain(`${TEAM_ROUTE_PREFIX}/pulse`);
		for (const teamId of teamIds) {
			for (const route of refused) {
				const path = routePath(route.id, { teamId, week: thisWeek() });
				if (route.hasPage) {
					const page = await coach.get(path);
					expect(page.status, `GET ${path}`).toBe(404);
					const data = await coach.get(`${path.replace(/\/$/, '')}/__data.json`);
					expect(
						data.status === 404 || /"status":404/.test(await data.text()),
						`${path} data`
					).toBe(true);
				}
				for (const action of route.actions) {
					const target = action === 'default' ? path : `${path}?/${action}`;
					const response = await coach.post(target, {
						energy: 'green',
						workload: 'green',
						teamwork: 'green',
						decisions: 'green'
					});
					expect(response.status, `POST ${target}`).toBe(404);
				}
				for (const method of route.methods) {
					const response = await fetch(server.origin + path, {
						method,
						redirect: 'manual',
						headers: { origin: server.origin, cookie: `session=${coach.sessionCookie}` }
					});
					expect(response.status, `${method} ${path}`).toBe(404);
				}
			}
		}
	}, 240_000);

	it('opens none of the team’s live documents to the coach', async () => {
		const base = `${server.origin.replace('http', 'ws')}/collab`;
		const headers = { origin: server.origin, cookie: `session=${coach.sessionCookie}` };
		for (const teamId of teamIds) {
			for (const doc of ['caseload', 'governance', `rota/${thisWeek()}`, 'meeting/x']) {
				const result = await upgradeStatus(`${base}/team/${teamId}/${doc}`, headers);
				expect(result.status, doc).not.toBe(101);
				expect(result.messages, doc).toBe(0);
			}
		}
	});
});

describe('pulse weeks under five answers', () => {
	it('exist in the demo, for the second team', () => {
		expect(smallWeeks(0)).toEqual([]);
		expect(smallWeeks(1).length).toBeGreaterThan(0);
	});

	it('show no figure anywhere the coach can see', () => {
		const small = new Map([
			[teamIds[0]!, smallWeeks(0)],
			[teamIds[1]!, smallWeeks(1)]
		]);
		expect(small.get(teamIds[1]!)!.length).toBeGreaterThan(0);
		expect(smallWeekFigures(coachPages, small)).toEqual([]);
	});

	it('show no figure and no word anywhere the team can see, while bigger weeks do show', async () => {
		const teamId = (await teamIdsOf(memberB))[0]!;
		const start = [
			'/',
			...teamRoutes
				.filter((r) => r.hasPage)
				.map((r) => routePath(r.id, { teamId, week: thisWeek() }))
		];
		const pages = await crawl(memberB, start);
		for (const page of pages) expect(page.status, page.path).toBeLessThan(500);
		const weeks = smallWeeks(1);
		expect(smallWeekFigures(pages, new Map([[teamId, weeks]]))).toEqual([]);
		expect(leaks(pages, DEMO_PULSE_UNSHOWN_WORDS)).toEqual([]);
		// The control: the team's pulse page lists the small weeks as not shown, and the others as shown.
		const pulsePage = pages.find((p) => p.path === `/teams/${teamId}/pulse`)!;
		expect(pulsePage.status).toBe(200);
		for (const w of weeks)
			expect(pulsePage.body).toContain(`data-pulse-week="${w}" data-pulse-shown="false"`);
		const shown = demoPulseWeeks(1, DEMO_TEAMS[1]!.people.length).filter(
			(w) => w.answers >= PULSE_MIN_ANSWERS
		);
		for (const w of shown) {
			expect(pulsePage.body).toContain(`data-pulse-week="${w.week}" data-pulse-shown="true"`);
		}
		// The walker does find figures in the page data when there are some to find.
		const figures = pulsePage.data
			.flatMap((d) => [...objects(d)])
			.filter((o) => isColourCount(o.node));
		expect(figures.length).toBeGreaterThan(0);
		// And the team reads its own words, which its coach never does.
		expect(leaks([pulsePage], DEMO_PULSE_WORD_LIST).length).toBeGreaterThan(0);
	}, 240_000);
});
