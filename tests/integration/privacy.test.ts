import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { notesOf, readNotes } from '../../src/lib/collab/board';
import { addClient } from '../../src/lib/collab/caseload';
import { moveNotesToBoard } from '../../src/lib/server/board/move-notes';
import { moveAbsencesToBoard } from '../../src/lib/server/board/move-absences';
import { readAbsences } from '../../src/lib/collab/absences';
import { Projections } from '../../src/lib/server/collab/projections';
import { absencesBetween } from '../../src/lib/server/rota/rota';
import type { CollabServer } from '../../src/lib/server/collab/server';
import { clientAccess } from '../../src/lib/server/db/schema';
import * as meetings from '../../src/lib/server/governance/meetings';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, upgradeStatus, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// Privacy of the live board: the team page's notes live apart from client data, every open of the
// caseload (every client card) is traced, and meeting documents exist only for planned meetings.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let collab: CollabServer;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let teamId: string;
let otherTeamId: string;
const clients: Client[] = [];
const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };

const caseloadOpens = (team: string) =>
	database.db
		.select({ userId: clientAccess.userId })
		.from(clientAccess)
		.where(and(eq(clientAccess.teamId, team), isNull(clientAccess.clientId)));

beforeAll(async () => {
	database = await createTestDatabase();
	alice = await personWithSession(database.db, 'Alice Martin', 'alice@example.org');
	bob = await personWithSession(database.db, 'Bob Durand', 'bob@example.org');
	teamId = await teams.create(database.db, { name: 'Équipe Test', creatorId: alice.id, ...nurse });
	otherTeamId = await teams.create(database.db, { name: 'Voisine', creatorId: bob.id, ...nurse });
	harness = await startCollab(database.db, { unloadGraceMs: 200 });
	collab = harness.collab;
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

describe('the team board', () => {
	it('moves the notes out of the caseload into the board document once, and again changes nothing', async () => {
		await collab.change(`team/${teamId}/caseload`, (doc) => {
			addClient(doc, 'c1', { name: 'Mme Privée', address: '1 rue X', sector: 'Nord' });
			const note = new Y.Map<string>();
			note.set('text', 'Réunion jeudi');
			note.set('author', 'Alice Martin');
			note.set('at', '2026-11-20T08:00:00.000Z');
			doc.getMap<Y.Map<string>>('notes').set('n1', note);
		});
		const logged: string[] = [];
		const first = await moveNotesToBoard(database.db, collab, {
			info: (l: string) => logged.push(l)
		});
		expect(first).toEqual({ teams: 2, notes: 1 });
		expect(logged).toEqual([`[board] moved 1 notes of team ${teamId} to its board document`]);
		const board = await collab.read(`team/${teamId}/board`, (doc) => ({
			notes: readNotes(doc),
			schemaVersion: doc.getMap('meta').get('schemaVersion'),
			clients: doc.getMap('clients').size
		}));
		expect(board).toEqual({
			notes: [
				{ id: 'n1', text: 'Réunion jeudi', author: 'Alice Martin', at: '2026-11-20T08:00:00.000Z' }
			],
			schemaVersion: 1,
			clients: 0
		});
		expect(await collab.read(`team/${teamId}/caseload`, (doc) => notesOf(doc).size)).toBe(0);

		// A second start: every board exists, nothing moves, the board keeps its note.
		expect(await moveNotesToBoard(database.db, collab, { info: () => {} })).toEqual({
			teams: 0,
			notes: 0
		});
		expect(await collab.read(`team/${teamId}/board`, (doc) => readNotes(doc).length)).toBe(1);
	});

	it('opens the board without copying any client card and without a trace; the caseload open is traced', async () => {
		const board = openDocument(harness.origin, `team/${teamId}/board`, alice.token);
		clients.push(board);
		await board.synced;
		expect(board.doc.getMap('clients').size).toBe(0);
		expect(await caseloadOpens(teamId)).toEqual([]);

		const caseload = openDocument(harness.origin, `team/${teamId}/caseload`, alice.token);
		clients.push(caseload);
		await caseload.synced;
		await waitFor(() => caseload.doc.getMap('clients').has('c1'), 'the card');
		expect(await caseloadOpens(teamId)).toEqual([{ userId: alice.id }]);
	});
});

describe('absences', () => {
	it('leave the caseload for the board once (the People page opens no client data), and are still counted', async () => {
		const sick = {
			memberId: bob.id,
			kind: 'sickness',
			from: '2026-11-23',
			to: '2026-11-25',
			note: 'grippe'
		};
		await collab.change(`team/${teamId}/caseload`, (doc) => doc.getMap('absences').set('a1', sick));
		const logged: string[] = [];
		const first = await moveAbsencesToBoard(database.db, collab, {
			info: (l: string) => logged.push(l)
		});
		expect(first).toEqual({ teams: 2, absences: 1 });
		expect(logged).toEqual([`[board] moved 1 absences of team ${teamId} to its board`]);
		expect(await collab.read(`team/${teamId}/caseload`, (doc) => doc.getMap('absences').size)).toBe(
			0
		);
		const onBoard = await collab.read(`team/${teamId}/board`, readAbsences);
		expect(onBoard).toMatchObject([
			{ id: 'a1', memberId: bob.id, kind: 'sickness', note: 'grippe' }
		]);

		// A second start moves nothing, even if an old client wrote an absence into the caseload.
		expect(await moveAbsencesToBoard(database.db, collab, { info: () => {} })).toEqual({
			teams: 0,
			absences: 0
		});

		// Opening the board (as the People page does) leaves no caseload trace and holds no card.
		await database.db.delete(clientAccess);
		const board = openDocument(harness.origin, `team/${teamId}/board`, alice.token);
		clients.push(board);
		await board.synced;
		await waitFor(() => board.doc.getMap('absences').has('a1'), 'the absence');
		expect(board.doc.getMap('clients').size).toBe(0);
		expect(await caseloadOpens(teamId)).toEqual([]);

		// The read model (rota rules, health figures) counts it, from the board.
		await new Projections(database.db, collab).refresh(`team/${teamId}/board`);
		const counted = await absencesBetween(database.db, {
			teamId,
			from: '2026-11-23',
			to: '2026-11-29'
		});
		expect(counted).toMatchObject([{ id: 'a1', memberId: bob.id, kind: 'sickness' }]);
	});
});

describe('meeting documents', () => {
	const headers = () => ({ origin: harness.origin, cookie: `session=${alice.token}` });
	const url = (name: string) => `${harness.origin.replace('http', 'ws')}/collab/${name}`;

	it('refuses (404) the document of a meeting never planned, and opens a planned one', async () => {
		const made = await upgradeStatus(
			url(`team/${teamId}/meeting/madeupmeetingzzzzzzzzzzzz`),
			headers()
		);
		expect(made).toEqual({ status: 404, messages: 0 });
		// Another team's real meeting, asked under one's own team, does not exist here either.
		const theirs = await meetings.plan(database.db, otherTeamId, '2026-12-03', '2026-11-30');
		const crossed = await upgradeStatus(url(`team/${teamId}/meeting/${theirs.id}`), headers());
		expect(crossed).toEqual({ status: 404, messages: 0 });
		// Control: the team's own planned meeting opens.
		const ours = await meetings.plan(database.db, teamId, '2026-12-03', '2026-11-30');
		const opened = await upgradeStatus(url(`team/${teamId}/meeting/${ours.id}`), headers());
		expect(opened.status).toBe(101);
		expect(opened.messages).toBeGreaterThan(0);
	});
});
