import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../helpers/browser-like';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

// A closed meeting's minutes as Markdown, on the built app with the seeded demo: what the file says
// and in which language, and who may download it (the team's members, as for the meeting's page).

let server: RunningServer;
let member: HttpClient;
let outsider: HttpClient;
let coach: HttpClient;
let teamId: string;
let closed: { id: string; markdown: string; disposition: string }[] = [];
let plannedId: string;

beforeAll(async () => {
	server = await startServer();
	member = await logInAs(server.origin, demo.memberA);
	outsider = await logInAs(server.origin, demo.memberB);
	coach = await logInAs(server.origin, demo.coach);
	teamId = (await teamIdsOf(member))[0]!;
	const page = await (await member.get(`/teams/${teamId}/meetings`)).text();
	const ids = [...new Set([...page.matchAll(/\/meetings\/([a-z2-7]{24})"/g)].map((m) => m[1]!))];
	const found: typeof closed = [];
	for (const id of ids) {
		const response = await member.get(`/teams/${teamId}/meetings/${id}/minutes.md`);
		if (response.status === 200)
			found.push({
				id,
				markdown: await response.text(),
				disposition: response.headers.get('content-disposition') ?? ''
			});
		else plannedId = id;
	}
	closed = found;
}, 240_000); // the built server, three log-ins and every meeting's file, on a loaded machine

/** A past meeting in which a decision was adopted (the demo's latest may have none). */
const withDecisions = () => closed.find((c) => c.markdown.includes(' · Adoptée\n'))!;

afterAll(async () => {
	await server?.stop();
});

describe('the minutes as Markdown', () => {
	it('give each past demo meeting, and nothing for the planned one', () => {
		expect(closed.length).toBeGreaterThanOrEqual(2);
		expect(plannedId).toBeDefined();
	});

	it('say the day it was held, who was there, the agenda with what became of each item, and the decisions', () => {
		const { markdown, disposition } = withDecisions();
		const held = /kring-compte-rendu-(\d{4}-\d{2}-\d{2})\.md/.exec(disposition)?.[1];
		expect(held).toBeDefined();
		expect(markdown).toMatch(/^# Réunion du \S+ \d+ \S+\n/);
		expect(markdown).toContain(`Équipe\u00a0: ${demo.teamAName}`);
		expect(markdown).toMatch(/\nTenue le \S+ \d+ \S+\n/);
		expect(markdown).toContain('Présents\u00a0: ');
		expect(markdown).toContain('## Ordre du jour');
		expect(markdown).toMatch(/\n- .+ — devenu une proposition\u00a0: Adoptée\n/);
		expect(markdown).toContain('## Ce qui a été décidé');
		expect(markdown).toMatch(/\n### .+ · Adoptée\n/);
		expect(markdown).toContain('- Consentement de\u00a0: ');
	});

	it('are named after the day the meeting was held, as on its page', async () => {
		const { id, disposition } = withDecisions();
		const page = await (await member.get(`/teams/${teamId}/meetings/${id}`)).text();
		const markdown = withDecisions().markdown;
		expect(page).toContain(/^# (.+)$/m.exec(markdown)![1]!);
		expect(page).toContain(/\n(Tenue le [^\n]+)\n/.exec(markdown)![1]!);
		expect(disposition).toContain('attachment');
	});

	it('speak English to a reader who reads English', async () => {
		const english = await logInAs(server.origin, demo.secondMemberA);
		const response = await english.get(
			`/teams/${teamId}/meetings/${withDecisions().id}/minutes.md`,
			{
				'accept-language': 'en'
			}
		);
		expect(response.status).toBe(200);
		const markdown = await response.text();
		expect(markdown).toMatch(/^# Meeting of /);
		expect(markdown).toContain('## Agenda');
		expect(markdown).toMatch(/\nHeld on /);
		expect(response.headers.get('content-disposition')).toContain('kring-minutes-');
	});

	it('are refused to someone outside the team, and to the team’s coach', async () => {
		// The coach does follow this team: the health page is theirs, the minutes are not.
		expect((await coach.get(`/teams/${teamId}/health`)).status).toBe(200);
		for (const client of [outsider, coach]) {
			const response = await client.get(
				`/teams/${teamId}/meetings/${withDecisions().id}/minutes.md`
			);
			expect(response.status).toBe(404);
			expect(await response.text()).not.toContain('# ');
		}
	});
});
