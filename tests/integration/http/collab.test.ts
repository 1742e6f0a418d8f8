import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { HttpClient } from '../../helpers/browser-like';
import { openDocument, upgradeStatus, waitFor, type Client } from '../../helpers/collab-client';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

let server: RunningServer;
let member: HttpClient;
let colleague: HttpClient;
let teamId: string;
const open: Client[] = [];

function client(docName: string, who: HttpClient): Client {
	const c = openDocument(server.origin, docName, who.sessionCookie!);
	open.push(c);
	return c;
}

beforeAll(async () => {
	server = await startServer();
	member = await logInAs(server.origin, demo.memberA);
	colleague = await logInAs(server.origin, demo.secondMemberA);
	teamId = (await teamIdsOf(member))[0]!;
});

afterAll(async () => {
	for (const c of open) c.destroy();
	await server?.stop();
});

const notes = (c: Client) => c.doc.getArray<string>('notes').toArray();

describe('the live board engine', () => {
	it('makes two stock y-websocket clients converge, and gives a late joiner the whole state', async () => {
		const doc = `team/${teamId}/caseload`;
		const a = client(doc, member);
		const b = client(doc, colleague);
		await Promise.all([a.synced, b.synced]);
		for (let i = 0; i < 20; i++) {
			a.doc.getArray<string>('notes').push([`a${i}`]);
			b.doc.getArray<string>('notes').push([`b${i}`]);
		}
		await waitFor(() => notes(a).length === 40 && notes(b).length === 40, 'convergence');
		expect(notes(a)).toEqual(notes(b));

		const late = client(doc, member);
		await late.synced;
		await waitFor(() => notes(late).length === 40, 'the late joiner');
		expect(notes(late)).toEqual(notes(a));
	});

	it('keeps the state across a graceful restart', async () => {
		const doc = `team/${teamId}/rota/2026-W48`;
		const a = client(doc, member);
		await a.synced;
		a.doc.getMap('visits').set('v1', 'Mme Martin, 8 h 30');
		a.doc.getText('memo').insert(0, 'Penser aux clés');
		// let the update reach the server and its commit happen
		const b = client(doc, colleague);
		await b.synced;
		await waitFor(() => b.doc.getText('memo').toString() === 'Penser aux clés', 'the relay');
		a.destroy();
		b.destroy();

		await server.restart();
		member = await logInAs(server.origin, demo.memberA);
		const after = client(doc, member);
		await after.synced;
		expect(after.doc.getMap('visits').get('v1')).toBe('Mme Martin, 8 h 30');
		expect(after.doc.getText('memo').toString()).toBe('Penser aux clés');
	});

	it('refuses every outsider before any Yjs message', async () => {
		const base = `${server.origin.replace('http', 'ws')}/collab`;
		const outsider = await logInAs(server.origin, demo.memberB);
		const coach = await logInAs(server.origin, demo.coach);
		const ok = { origin: server.origin, cookie: `session=${member.sessionCookie}` };
		const cases: [string, string, Record<string, string>, number][] = [
			['anonymous', `team/${teamId}/caseload`, { origin: server.origin }, 401],
			[
				'a forged session',
				`team/${teamId}/caseload`,
				{ origin: server.origin, cookie: 'session=abc.def' },
				401
			],
			[
				'a member of another team',
				`team/${teamId}/caseload`,
				{ origin: server.origin, cookie: `session=${outsider.sessionCookie}` },
				403
			],
			[
				'the team’s coach',
				`team/${teamId}/caseload`,
				{ origin: server.origin, cookie: `session=${coach.sessionCookie}` },
				403
			],
			[
				'the coach, governance',
				`team/${teamId}/governance`,
				{ origin: server.origin, cookie: `session=${coach.sessionCookie}` },
				403
			],
			[
				'a forged Origin',
				`team/${teamId}/caseload`,
				{ ...ok, origin: 'https://evil.example' },
				403
			],
			['no Origin', `team/${teamId}/caseload`, { cookie: ok.cookie }, 403],
			['an unknown kind', `team/${teamId}/secrets`, ok, 404],
			['a bad week', `team/${teamId}/rota/2026-W99`, ok, 404],
			['an unknown team', `team/nosuchteam/caseload`, ok, 403]
		];
		for (const [who, doc, headers, status] of cases) {
			const result = await upgradeStatus(`${base}/${doc}`, headers);
			expect(result, who).toEqual({ status, messages: 0 });
		}
		// the control: the member is let in and spoken to
		const allowed = await upgradeStatus(`${base}/team/${teamId}/caseload`, ok);
		expect(allowed.status).toBe(101);
		expect(allowed.messages).toBeGreaterThan(0);
	});

	it('lets members read the governance document but drops what they write to it', async () => {
		const doc = `team/${teamId}/governance`;
		const writer = client(doc, member);
		const reader = client(doc, colleague);
		await Promise.all([writer.synced, reader.synced]);
		writer.doc.getMap('decisions').set('forged', 'adopted');
		// a legitimate edit elsewhere proves the reader is still connected and receiving
		const board = `team/${teamId}/caseload`;
		const w2 = client(board, member);
		const r2 = client(board, colleague);
		await Promise.all([w2.synced, r2.synced]);
		w2.doc.getArray<string>('notes').push(['still live']);
		await waitFor(() => notes(r2).includes('still live'), 'a live edit');
		expect(reader.doc.getMap('decisions').get('forged')).toBeUndefined();
		const fresh = client(doc, colleague);
		await fresh.synced;
		// The demo's decisions are there (written by the server); the forged one is not.
		expect(fresh.doc.getMap('decisions').size).toBeGreaterThan(0);
		expect(fresh.doc.getMap('decisions').get('forged')).toBeUndefined();
		expect(fresh.doc.getMap('decisions').size).toBe(reader.doc.getMap('decisions').size);
	});

	it('carries presence stamped with the real user', async () => {
		const doc = `team/${teamId}/rota/2100-W01`;
		const a = client(doc, member);
		const b = client(doc, colleague);
		await Promise.all([a.synced, b.synced]);
		a.provider.awareness.setLocalStateField('user', { name: 'Quelqu’un d’autre' });
		a.provider.awareness.setLocalStateField('selection', 'card-7');
		await waitFor(
			() => [...b.provider.awareness.getStates().values()].some((s) => s.selection === 'card-7'),
			'presence'
		);
		const seen = [...b.provider.awareness.getStates().values()].find(
			(s) => s.selection === 'card-7'
		)!;
		expect(seen.user).toMatchObject({ name: 'Aïcha Benali' });
	});

	it('turns a concurrent edit into the same document everywhere (decoded state compare)', async () => {
		const doc = `team/${teamId}/rota/2100-W02`;
		const a = client(doc, member);
		const b = client(doc, colleague);
		await Promise.all([a.synced, b.synced]);
		a.doc.getText('t').insert(0, 'hello ');
		b.doc.getText('t').insert(0, 'bonjour ');
		await waitFor(
			() => a.doc.getText('t').length === 14 && b.doc.getText('t').length === 14,
			'text'
		);
		expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
		expect(a.doc.getText('t').toString()).toBe(b.doc.getText('t').toString());
	});

	it('loses nothing when the server is killed (kill -9) while clients stream edits', async () => {
		const doc = `team/${teamId}/rota/2100-W03`;
		const a = client(doc, member);
		const b = client(doc, colleague);
		await Promise.all([a.synced, b.synced]);
		const log = (c: Client) => c.doc.getArray<string>('log').toArray();
		let sent = 0;
		const stream = setInterval(() => {
			a.doc.getArray<string>('log').push([`a${sent}`]);
			b.doc.getArray<string>('log').push([`b${sent}`]);
			sent++;
		}, 10);
		await new Promise((r) => setTimeout(r, 400));
		await server.crashAndRestart();
		await new Promise((r) => setTimeout(r, 300));
		clearInterval(stream);
		// The clients reconnect by themselves and converge on every edit anyone made.
		await waitFor(
			() => log(a).length === 2 * sent && log(b).length === 2 * sent,
			'convergence after the crash',
			20_000
		);
		expect(log(a)).toEqual(log(b));
		const agreed = log(a);

		// Everything the clients have seen is stored: kill the server again the moment they agree,
		// without letting these clients resend anything, and read the document afresh.
		a.destroy();
		b.destroy();
		await server.crashAndRestart();
		const reader = await logInAs(server.origin, demo.memberA);
		const fresh = client(doc, reader);
		await fresh.synced;
		expect(log(fresh)).toHaveLength(2 * sent);
		expect(log(fresh)).toEqual(agreed);
	});

	it('closes a user’s connections within seconds of logging out or leaving the team', async () => {
		const doc = `team/${teamId}/caseload`;
		const closed = (c: Client) =>
			new Promise<number>((resolve) =>
				c.provider.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0))
			);

		const session = await logInAs(server.origin, demo.memberA);
		const loggingOut = client(doc, session);
		await loggingOut.synced;
		const logoutClosed = closed(loggingOut);
		await session.post('/logout', {});
		expect(await logoutClosed).toBe(1008);

		const leaver = await logInAs(server.origin, demo.secondMemberA);
		const leaving = client(doc, leaver);
		await leaving.synced;
		const leaveClosed = closed(leaving);
		expect((await leaver.post(`/teams/${teamId}?/leave`, {})).status).toBe(303);
		expect(await leaveClosed).toBe(1008);
		loggingOut.destroy();
		leaving.destroy();
		// and neither can come back
		const base = `${server.origin.replace('http', 'ws')}/collab/${doc}`;
		expect(
			(
				await upgradeStatus(base, {
					origin: server.origin,
					cookie: `session=${leaver.sessionCookie}`
				})
			).status
		).toBe(403);
		expect(
			(
				await upgradeStatus(base, {
					origin: server.origin,
					cookie: `session=${session.sessionCookie}`
				})
			).status
		).toBe(401);
	});
});
