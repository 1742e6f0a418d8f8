import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audienceOf } from '../../../src/lib/server/auth/route-access';
import { todayIn } from '../../../src/lib/domain/time-zone';
import { HttpClient } from '../../helpers/browser-like';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { discoverRoutes, routePath } from '../../helpers/routes';
import { startServer, type RunningServer } from '../../helpers/server';
import { weekOf } from '../../../src/lib/domain/week';

// Walks every route under /teams/[teamId], discovered from src/routes, as each kind of outsider.

const teamRoutes = discoverRoutes('/teams/[teamId]');

let server: RunningServer;
let teamId: string;
let decisionId: string;
let electionId: string;
let adviceId: string;
let meetingId: string;
let standardId: string;
// A real week, so the control opens the rota grid.
const WEEK = weekOf(todayIn());
let member: HttpClient;
let otherTeamMember: HttpClient;
let coach: HttpClient;
let anonymous: HttpClient;

beforeAll(async () => {
	server = await startServer();
	member = await logInAs(server.origin, demo.memberA);
	otherTeamMember = await logInAs(server.origin, demo.memberB);
	coach = await logInAs(server.origin, demo.coach);
	anonymous = new HttpClient(server.origin);
	const ids = await teamIdsOf(member);
	expect(ids).toHaveLength(1);
	teamId = ids[0]!;
	// A real decision, so the control can open the decision page as a member.
	const proposed = await member.post(`/teams/${teamId}/decisions?/propose`, {
		title: 'Essai',
		driver: 'Pour le test',
		text: 'Une proposition',
		area: 'other',
		reviewDate: '2027-01-01',
		mode: 'meeting'
	});
	decisionId = /\/decisions\/([a-z2-7]+)$/.exec(proposed.headers.get('location') ?? '')?.[1] ?? '';
	expect(decisionId).not.toBe('');
	// And a real election, for the election page.
	const rolesPage = await (await member.get(`/teams/${teamId}/roles`)).text();
	const roleId = /name="roleId" value="([a-z2-7]+)"/.exec(rolesPage)?.[1] ?? '';
	const elected = await member.post(`/teams/${teamId}/roles?/elect`, { roleId });
	electionId = /\/elections\/([a-z2-7]+)$/.exec(elected.headers.get('location') ?? '')?.[1] ?? '';
	expect(electionId).not.toBe('');
	// The demo's advice process, and the next meeting (planned when the meetings page is opened).
	const log = await (await member.get(`/teams/${teamId}/decisions`)).text();
	adviceId = /\/decisions\/advice\/([a-z2-7]{24})"/.exec(log)?.[1] ?? '';
	expect(adviceId).not.toBe('');
	const meetingsPage = await (await member.get(`/teams/${teamId}/meetings`)).text();
	meetingId = /\/meetings\/([a-z2-7]{24})"/.exec(meetingsPage)?.[1] ?? '';
	expect(meetingId).not.toBe('');
	// One of the demo's care standards.
	const standardsPage = await (await member.get(`/teams/${teamId}/standards`)).text();
	standardId = /\/standards\/([a-z2-7]{24})"/.exec(standardsPage)?.[1] ?? '';
	expect(standardId).not.toBe('');
	// The other member really belongs to another team, and the coach does follow this one.
	expect(await teamIdsOf(otherTeamMember)).not.toContain(teamId);
	expect(await (await coach.get('/')).text()).toContain(demo.teamAName);
});

afterAll(async () => {
	await server?.stop();
});

interface Probe {
	label: string;
	/** Open to the team's coach too (route-access.ts). */
	coach: boolean;
	send(client: HttpClient): Promise<Response>;
}

function probes(): Probe[] {
	const list: Probe[] = [];
	for (const route of teamRoutes) {
		const path = routePath(route.id, {
			teamId,
			decisionId,
			electionId,
			adviceId,
			meetingId,
			standardId,
			week: WEEK
		});
		const coach = audienceOf(route.id) === 'members-and-coaches';
		if (route.hasPage) list.push({ label: `GET ${route.id}`, coach, send: (c) => c.get(path) });
		for (const action of route.actions) {
			const target = action === 'default' ? path : `${path}?/${action}`;
			list.push({
				label: `POST ${route.id} ?/${action}`,
				coach,
				send: (c) =>
					c.post(target, {
						kind: 'member',
						invitationId: 'x',
						profession: 'nurse',
						contractHours: '1'
					})
			});
		}
		for (const method of route.methods) {
			list.push({
				label: `${method} ${route.id} (endpoint)`,
				coach,
				send: (c) =>
					fetch(server.origin + path, {
						method,
						redirect: 'manual',
						headers: {
							origin: server.origin,
							cookie: c.sessionCookie ? `session=${c.sessionCookie}` : ''
						}
					})
			});
		}
	}
	return list;
}

describe('the team guard', () => {
	it('finds the team routes to walk', () => {
		expect(teamRoutes.map((r) => r.id)).toContain('/teams/[teamId]');
		expect(probes().length).toBeGreaterThan(teamRoutes.length);
	});

	it('lets the team’s own members in (the control)', async () => {
		for (const route of teamRoutes.filter((r) => r.hasPage)) {
			const response = await member.get(
				routePath(route.id, {
					teamId,
					decisionId,
					electionId,
					adviceId,
					meetingId,
					standardId,
					week: WEEK
				})
			);
			if (response.status === 303) {
				// A page that sends the member on (the rota opens on this week) stays in the team.
				expect(response.headers.get('location'), route.id).toMatch(
					new RegExp(`^/teams/${teamId}/`)
				);
				continue;
			}
			expect(response.status, route.id).toBe(200);
		}
	});

	it('sends anonymous visitors to the login page, for every route and action', async () => {
		for (const probe of probes()) {
			const response = await probe.send(anonymous);
			expect(response.status, probe.label).toBe(303);
			expect(response.headers.get('location'), probe.label).toMatch(/^\/login\?next=/);
		}
	});

	it('answers 404 to a member of another team, for every route and action', async () => {
		for (const probe of probes()) {
			const response = await probe.send(otherTeamMember);
			expect(response.status, probe.label).toBe(404);
			expect(await response.text(), probe.label).not.toContain(demo.teamAName);
		}
	});

	it('answers 404 to the team’s coach outside the coach pages', async () => {
		for (const probe of probes().filter((p) => !p.coach)) {
			const response = await probe.send(coach);
			expect(response.status, probe.label).toBe(404);
		}
	});

	it('lets the team’s coach into the coach pages (the health page and its access check)', async () => {
		const open = probes().filter((p) => p.coach);
		expect(open.map((p) => p.label)).toContain('GET /teams/[teamId]/health');
		for (const probe of open) {
			const response = await probe.send(coach);
			expect(response.status, probe.label).toBe(200);
		}
	});

	it('answers 404 for a team that does not exist, the same as for a hidden one', async () => {
		const response = await member.get('/teams/doesnotexist');
		expect(response.status).toBe(404);
		const hidden = await otherTeamMember.get(`/teams/${teamId}`);
		expect(hidden.status).toBe(404);
	});

	it('changed nothing while refusing', async () => {
		const page = await (await member.get(`/teams/${teamId}`)).text();
		// no invitation was created by the refused ?/invite posts, and nobody left
		expect(page).not.toContain('Invitations en attente');
		expect(page).toContain('9 membres');
	});
});
