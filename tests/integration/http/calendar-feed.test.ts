import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putShift, readWeek } from '../../../src/lib/collab/rota';
import { checkRota } from '../../../src/lib/domain/rota-checks';
import { todayIn, wallClockToInstant } from '../../../src/lib/domain/time-zone';
import type { HttpClient } from '../../helpers/browser-like';
import { openDocument, waitFor, type Client } from '../../helpers/collab-client';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';
import { addDays, weekdayOf, weekOf } from '../../../src/lib/domain/week';
import { demoClients } from '../../../src/lib/server/seed/caseload';
import { DEMO_TEAMS } from '../../../src/lib/server/seed/people';

// The demo rota and the private calendar feed on the built app: a member subscribes, gets only
// their own visits as valid iCalendar, and a revoked link answers 404.

let server: RunningServer;
let member: HttpClient;
let colleague: HttpClient;
let outsider: HttpClient;
let teamId: string;
const docs: Client[] = [];

beforeAll(async () => {
	server = await startServer();
	member = await logInAs(server.origin, demo.memberA);
	colleague = await logInAs(server.origin, demo.secondMemberA);
	outsider = await logInAs(server.origin, demo.memberB);
	teamId = (await teamIdsOf(member))[0]!;
});

afterAll(async () => {
	for (const d of docs) d.destroy();
	await server?.stop();
});

async function userIdOf(client: HttpClient): Promise<string> {
	const html = await (await client.get(`/teams/${teamId}`)).text();
	const match = /me:"([a-z2-7]{24})"/.exec(html);
	if (match === null) throw new Error('no user id in the team page');
	return match[1]!;
}

async function newFeed(client: HttpClient): Promise<string> {
	const response = await client.post(`/teams/${teamId}/calendar?/create`, {});
	expect(response.status).toBe(200);
	const match = /\/feed\/[a-z2-7]{32}\.ics/.exec(await response.text());
	if (match === null) throw new Error('no feed link in the answer');
	return match[0];
}

async function week(monday: string) {
	const doc = openDocument(
		server.origin,
		`team/${teamId}/rota/${weekOf(monday)}`,
		member.sessionCookie!
	);
	docs.push(doc);
	await doc.synced;
	return readWeek(doc.doc);
}

describe('the demo rota and the calendar feed', () => {
	it('fills this week and the next, with problems for the checks to show', async () => {
		const today = todayIn();
		const monday = addDays(today, 1 - weekdayOf(today));
		const [current, next] = await Promise.all([week(monday), week(addDays(monday, 7))]);
		expect(current.visits.length).toBeGreaterThan(100);
		expect(next.visits.length).toBeGreaterThan(100);
		expect(current.shifts.length).toBeGreaterThan(0);
		const kinds = new Set(
			checkRota({
				monday,
				members: [],
				clients: [],
				absences: [],
				visits: current.visits,
				shifts: current.shifts
			}).map((w) => w.kind)
		);
		expect(kinds.has('unassigned')).toBe(true);
	});

	it('gives a member valid iCalendar with only their own visits, discreetly named', async () => {
		const [mine, theirs] = [await newFeed(member), await newFeed(colleague)];
		const parse = async (path: string) => {
			const response = await fetch(server.origin + path);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toContain('text/calendar');
			const calendar = new ICAL.Component(ICAL.parse(await response.text()));
			return calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
		};
		// The team's meetings are in everyone's feed; the visits are each member's own.
		const visitsOnly = (events: ICAL.Event[]) =>
			events.filter((e) => !e.uid.startsWith('meeting-') && !e.uid.startsWith('shift-'));
		const [a, b] = (await Promise.all([parse(mine), parse(theirs)])).map(visitsOnly) as [
			ICAL.Event[],
			ICAL.Event[]
		];
		expect(a.length).toBeGreaterThan(0);
		expect(b.length).toBeGreaterThan(0);
		const uidsA = new Set(a.map((e) => e.uid));
		expect(b.some((e) => uidsA.has(e.uid))).toBe(false);

		// Exactly this member's visits of this week and the next that fall within the feed's window.
		const me = await userIdOf(member);
		const today = todayIn();
		const monday = addDays(today, 1 - weekdayOf(today));
		const visits = [
			...(await week(monday)).visits,
			...(await week(addDays(monday, 7))).visits
		].filter((v) => v.carerId === me && v.date >= addDays(today, -7));
		expect([...uidsA].sort()).toEqual(visits.map((v) => `${v.id}@${teamId}.kring`).sort());
		for (const event of a) {
			expect(event.summary).toMatch(/^Passage (M\.|Mme) [A-ZÉ]/);
			expect(event.summary).not.toMatch(/(M\.|Mme) [A-ZÉ][a-zé]+ /); // no full first name
			expect(event.duration.toSeconds()).toBeGreaterThan(0);
		}
	});

	it('never carries an address or how to get in, and lists the team’s planned meetings', async () => {
		const body = await (await fetch(server.origin + (await newFeed(member)))).text();
		const secrets = DEMO_TEAMS.flatMap((t, i) =>
			demoClients(
				t.name,
				t.people.map((_, k) => `member-${k}`),
				2026 + i
			).flatMap((c) => [c.address, ...Object.values(c.access ?? {})])
		).filter((s) => s.trim().length >= 6);
		expect(secrets.some((s) => s.startsWith('Digicode'))).toBe(true);
		// iCalendar folds long lines: unfold before searching.
		const unfolded = body.replace(/\r\n[ \t]/g, '');
		expect(secrets.filter((s) => unfolded.includes(s))).toEqual([]);
		const calendar = new ICAL.Component(ICAL.parse(body));
		const events = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
		const meetings = events.filter((e) => e.summary === 'Réunion d’équipe');
		expect(meetings.length).toBeGreaterThan(0);
		for (const meeting of meetings) {
			expect(meeting.startDate.isDate).toBe(true);
			expect(meeting.startDate.toString() >= addDays(todayIn(), -7)).toBe(true);
		}
	});

	it('speaks the member’s language: English once they read Kring in English', async () => {
		const english = await logInAs(server.origin, demo.secondMemberA);
		const feed = await newFeed(english);
		const before = await (await fetch(server.origin + feed)).text();
		expect(before).toContain('SUMMARY:Passage');
		await english.post('/language', { locale: 'en', next: `/teams/${teamId}/calendar` });
		expect((await english.get(`/teams/${teamId}/calendar`)).status).toBe(200);
		const calendar = new ICAL.Component(
			ICAL.parse(await (await fetch(server.origin + feed)).text())
		);
		const summaries = calendar.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e).summary);
		expect(summaries.filter((s) => s.startsWith('Visit ')).length).toBeGreaterThan(0);
		expect(summaries).toContain('Team meeting');
		expect(summaries).toContain('Meeting');
		expect(summaries.some((s) => s.startsWith('Passage') || s.startsWith('Réunion'))).toBe(false);
	});

	it('carries the member’s own shifts, with their hours, and not their colleagues’', async () => {
		const [me, other] = [await userIdOf(member), await userIdOf(colleague)];
		const today = todayIn();
		const monday = addDays(today, 1 - weekdayOf(today));
		// A training next week for the member, an office shift for a colleague, by hand on the rota.
		const next = openDocument(
			server.origin,
			`team/${teamId}/rota/${weekOf(addDays(monday, 7))}`,
			member.sessionCookie!
		);
		docs.push(next);
		await next.synced;
		const training = {
			id: 'feedtraining',
			memberId: me,
			kind: 'training' as const,
			date: addDays(monday, 9),
			start: 9 * 60,
			minutes: 180,
			changedAt: null
		};
		putShift(next.doc, training);
		putShift(next.doc, { ...training, id: 'feedoffice', memberId: other, kind: 'office' });
		const feed = await newFeed(member);
		const events = async () =>
			new ICAL.Component(ICAL.parse(await (await fetch(server.origin + feed)).text()))
				.getAllSubcomponents('vevent')
				.map((e) => new ICAL.Event(e))
				.filter((e) => e.uid.startsWith('shift-'));
		await waitFor(
			async () => (await events()).some((e) => e.uid === `shift-feedtraining@${teamId}.kring`),
			'the training in the feed'
		);
		const shifts = await events();
		// The demo's weekly meeting shifts of this week and the next, and the training.
		const expected = [
			...(await week(monday)).shifts,
			...(await week(addDays(monday, 7))).shifts
		].filter((s) => s.memberId === me && s.date >= addDays(today, -7));
		expect(expected.some((s) => s.kind === 'meeting')).toBe(true);
		expect(shifts.map((e) => e.uid).sort()).toEqual(
			expected.map((s) => `shift-${s.id}@${teamId}.kring`).sort()
		);
		expect(shifts.some((e) => e.uid.startsWith('shift-feedoffice'))).toBe(false);
		const event = shifts.find((e) => e.uid === `shift-feedtraining@${teamId}.kring`)!;
		expect(event.summary).toBe('Formation');
		expect(event.duration.toSeconds()).toBe(180 * 60);
		// 9 h in Paris.
		expect(event.startDate.toJSDate().toISOString()).toBe(
			wallClockToInstant(training.date, training.start).toISOString()
		);
		expect(shifts.filter((e) => e.summary === 'Réunion').length).toBeGreaterThan(0);
	});

	it('answers 404 to a revoked link, a replaced link and a made-up one', async () => {
		const first = await newFeed(member);
		const second = await newFeed(member);
		expect((await fetch(server.origin + first)).status).toBe(404);
		expect((await fetch(server.origin + second)).status).toBe(200);
		await member.post(`/teams/${teamId}/calendar?/revoke`, {});
		expect((await fetch(server.origin + second)).status).toBe(404);
		expect((await fetch(`${server.origin}/feed/${'a'.repeat(32)}.ics`)).status).toBe(404);
		expect((await fetch(`${server.origin}/feed/nonsense`)).status).toBe(404);
	});

	it('exports a rota week as CSV, and refuses a week that does not exist', async () => {
		const today = todayIn();
		const name = weekOf(today);
		const response = await member.get(`/teams/${teamId}/rota/${name}/export.csv`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/csv');
		const rows = (await response.text())
			.replace(/^\ufeff/, '')
			.trim()
			.split('\r\n');
		expect(rows[0]).toBe('Date;Début;Minutes;Nom;Secteur;Intervenant·e;Qualification');
		expect(rows.length).toBeGreaterThan(100);
		expect((await member.get(`/teams/${teamId}/rota/2026-W60/export.csv`)).status).toBe(404);
		expect((await outsider.get(`/teams/${teamId}/rota/${name}/export.csv`)).status).toBe(404);
	});

	it('does not let someone from another team make a feed for this team', async () => {
		const response = await outsider.post(`/teams/${teamId}/calendar?/create`, {});
		expect(response.status).toBe(404);
	});
});
