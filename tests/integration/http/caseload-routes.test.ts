import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpClient } from '../../helpers/browser-like';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

// The caseload's server routes on the built app with the seeded demo: the access trace, the
// exports and the erasure, as a member's browser uses them.

let server: RunningServer;
let member: HttpClient;
let colleague: HttpClient;
let teamId: string;

beforeAll(async () => {
	server = await startServer();
	member = await logInAs(server.origin, demo.memberA);
	colleague = await logInAs(server.origin, demo.secondMemberA);
	teamId = (await teamIdsOf(member))[0]!;
});

afterAll(async () => {
	await server?.stop();
});

/** The demo caseload as the CSV export gives it, after the read model caught up. */
async function csvRows(): Promise<string[]> {
	const response = await member.get(`/teams/${teamId}/caseload/export.csv`);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toContain('text/csv');
	expect(response.headers.get('content-disposition')).toContain('attachment');
	return (await response.text())
		.replace(/^\ufeff/, '')
		.trim()
		.split('\r\n');
}

describe('caseload routes', () => {
	it('exports the demo caseload as CSV from the read model', async () => {
		const rows = await csvRows();
		expect(rows[0]).toContain('Nom;Adresse;Secteur');
		expect(rows.length).toBeGreaterThanOrEqual(26);
		expect(rows.some((r) => r.includes('Plateau'))).toBe(true);
	});

	it('traces who opened a card, on the card and in the team’s log', async () => {
		const card = await colleague.get(`/teams/${teamId}/caseload/demo-0-1`);
		expect(card.status).toBe(200);
		const log = await (await member.get(`/teams/${teamId}/caseload/access-log`)).text();
		expect(log).toContain('Journal des consultations');
		expect(log).toContain(`/teams/${teamId}/caseload/demo-0-1`);
	});

	it('refuses a malformed client id without a trace', async () => {
		const response = await member.get(`/teams/${teamId}/caseload/${'x'.repeat(80)}`);
		expect(response.status).toBe(404);
	});

	it('exports one client as JSON, and erases them only with their name typed again', async () => {
		const exported = await member.get(`/teams/${teamId}/caseload/demo-0-2/export`);
		expect(exported.status).toBe(200);
		const data = (await exported.json()) as {
			client: { name: string; visitPattern: unknown[] };
			transmissions: unknown[];
		};
		const name = data.client.name;
		expect(name.length).toBeGreaterThan(3);
		expect(data.client.visitPattern.length).toBeGreaterThan(0);
		expect((await csvRows()).some((r) => r.startsWith(name))).toBe(true);

		const wrong = await member.post(`/teams/${teamId}/caseload/demo-0-2?/erase`, {
			confirmName: 'quelqu’un d’autre'
		});
		expect(wrong.status).toBe(400);
		// The card is drawn from the live document, in the browser: the refusal travels in the page data.
		expect(await wrong.text()).toContain('form: {eraseMismatch:true}');
		expect((await member.get(`/teams/${teamId}/caseload/demo-0-2/export`)).status).toBe(200);

		const erased = await member.post(`/teams/${teamId}/caseload/demo-0-2?/erase`, {
			confirmName: name
		});
		expect(erased.status).toBe(303);
		expect(erased.headers.get('location')).toBe(`/teams/${teamId}/caseload?erased=1`);
		expect((await member.get(`/teams/${teamId}/caseload/demo-0-2/export`)).status).toBe(404);
		expect((await csvRows()).some((r) => r.startsWith(name))).toBe(false);
		// Erasing again finds nothing; a body that is not a form gets a clear refusal, not a 500.
		expect(
			(await member.post(`/teams/${teamId}/caseload/demo-0-2?/erase`, { confirmName: name })).status
		).toBe(404);
		const garbage = await member.post(`/teams/${teamId}/caseload/demo-0-3?/erase`, '\u0000\u0001', {
			'content-type': 'multipart/form-data; boundary=nothing'
		});
		expect(garbage.status).toBeGreaterThanOrEqual(400);
		expect(garbage.status).toBeLessThan(500);
	});

	it('lists the team’s people with their employment, which each member sets for themselves', async () => {
		const before = await (await colleague.get(`/teams/${teamId}/people`)).text();
		expect(before).toContain('L’équipe et les absences');
		const count = (html: string) => (html.match(/Libéral·e/g) ?? []).length;
		const bad = await member.post(`/teams/${teamId}?/profile`, {
			profession: 'nurse',
			contractHours: '35',
			employment: 'boss'
		});
		expect(bad.status).toBe(400);
		const ok = await member.post(`/teams/${teamId}?/profile`, {
			profession: 'nurse',
			contractHours: '35',
			employment: 'self_employed'
		});
		expect(ok.status).toBe(200);
		const after = await (await colleague.get(`/teams/${teamId}/people`)).text();
		expect(count(after)).toBe(count(before) + 1);
		// A profile form without the field leaves it as it was.
		await member.post(`/teams/${teamId}?/profile`, { profession: 'nurse', contractHours: '35' });
		expect(count(await (await colleague.get(`/teams/${teamId}/people`)).text())).toBe(
			count(before) + 1
		);
	});
});
