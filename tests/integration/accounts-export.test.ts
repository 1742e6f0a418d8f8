import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { render } from 'svelte/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAbsence } from '../../src/lib/collab/absences';
import { addNote, notesOf } from '../../src/lib/collab/board';
import {
	addClient,
	addTransmission,
	markRead,
	transmissionsOf
} from '../../src/lib/collab/caseload';
import { putVisit } from '../../src/lib/collab/rota';
import NoteCard from '../../src/lib/components/NoteCard.svelte';
import TransmissionsPanel from '../../src/lib/components/TransmissionsPanel.svelte';
import * as accounts from '../../src/lib/server/accounts/accounts';
import * as devices from '../../src/lib/server/auth/device';
import * as accessLog from '../../src/lib/server/caseload/access-log';
import {
	adviceMirror,
	governanceMirror,
	meetingMirror
} from '../../src/lib/server/collab/governance';
import { Projections } from '../../src/lib/server/collab/projections';
import { eraseClient } from '../../src/lib/server/caseload/erase';
import {
	collabSnapshot,
	collabUpdate,
	meeting,
	rotaTake,
	rotaVisit
} from '../../src/lib/server/db/schema';
import * as advice from '../../src/lib/server/governance/advice';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as meetings from '../../src/lib/server/governance/meetings';
import * as roles from '../../src/lib/server/governance/roles';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// The account's export and erasure with their real parts: a collab server on the test database,
// members writing through stock y-websocket clients, and the governance modules the routes use.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
const NAME = 'Zélie Quintard';
const TODAY = '2026-11-02';
const TRANSMISSION = 'Pansement refait, plaie propre';
const NOTE = 'Je prends la tournée de jeudi';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let projection: Projections;
let teamId: string;
const people = {} as Record<'zelie' | 'bob', { id: string; token: string }>;
const clients: Client[] = [];

function connect(who: keyof typeof people, name: string): Client {
	const c = openDocument(harness.origin, name, people[who].token);
	clients.push(c);
	return c;
}

/** A browser's cookie jar, enough for the device module. */
function jar(): Cookies {
	const values = new Map<string, string>();
	return {
		get: (name: string) => values.get(name),
		set: (name: string, value: string) => void values.set(name, value)
	} as unknown as Cookies;
}

beforeAll(async () => {
	database = await createTestDatabase();
	people.zelie = await personWithSession(database.db, NAME, 'zelie@example.org');
	people.bob = await personWithSession(database.db, 'Bob Durand', 'bob@example.org');
	teamId = await teams.create(database.db, {
		name: 'Équipe Nord',
		creatorId: people.bob.id,
		...nurse
	});
	const { token } = await invitations.create(database.db, {
		teamId,
		kind: 'member',
		createdBy: people.bob.id
	});
	await invitations.accept(database.db, { token, userId: people.zelie.id, profile: nurse });
	harness = await startCollab(database.db, {
		unloadGraceMs: 200,
		onCommit: (name) => projection.notify(name)
	});
	projection = new Projections(database.db, harness.collab, { delayMs: 50 });
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await projection?.stop();
	await database?.dispose();
});

let meetingId = '';
let bobsEntry = '';

/** One of each thing Kring keeps about Zélie, planted through the modules and documents the app uses. */
async function plant() {
	const collab = harness.collab;
	const caseload = `team/${teamId}/caseload`;
	await collab.change(caseload, (doc) =>
		addClient(doc, 'c-1', { name: 'M. Paul Girard', address: '3 rue Haute', sector: 'Nord' })
	);
	const z = connect('zelie', caseload);
	await z.synced;
	addTransmission(z.doc, 'c-1', {
		authorId: people.zelie.id,
		authorName: NAME,
		text: TRANSMISSION
	});
	addTransmission(z.doc, 'c-1', {
		authorId: people.bob.id,
		authorName: 'Bob Durand',
		text: 'Bob est passé'
	});
	// Zélie has Bob's entry on screen: her read receipt.
	await waitFor(() => transmissionsOf(z.doc, 'c-1').length === 2, 'both entries');
	bobsEntry = transmissionsOf(z.doc, 'c-1').find((t) => t.text === 'Bob est passé')!.id;
	markRead(z.doc, 'c-1', [bobsEntry], people.zelie.id, new Date('2026-11-02T09:00:00Z'));
	const board = connect('zelie', `team/${teamId}/board`);
	await board.synced;
	expect(
		addAbsence(board.doc, {
			memberId: people.zelie.id,
			kind: 'sickness',
			from: '2026-11-09',
			to: '2026-11-11',
			note: 'grippe'
		})
	).toMatchObject({ ok: true });
	addNote(board.doc, 'note-z', { text: NOTE, author: NAME, at: '2026-11-02T08:00:00.000Z' });
	const week = connect('bob', `team/${teamId}/rota/2026-W46`);
	await week.synced;
	putVisit(week.doc, {
		id: 'v-1',
		clientId: 'c-1',
		date: '2026-11-10',
		start: 480,
		minutes: 30,
		carerId: people.zelie.id,
		qualification: 'nurse',
		changedAt: null
	});
	await waitFor(
		async () =>
			(await collab.read(caseload, (doc) => transmissionsOf(doc, 'c-1').length)) === 2 &&
			(await collab.read(`team/${teamId}/board`, (doc) => notesOf(doc).has('note-z'))),
		'the edits on the server'
	);
	await waitFor(
		async () =>
			(await database.db.select().from(rotaVisit).where(eq(rotaVisit.carerId, people.zelie.id)))
				.length === 1,
		'the visit in the read model'
	);
	// Visits taken when offered or to cover, first come first served: hers and Bob's.
	await database.db.insert(rotaTake).values([
		{ teamId, visitId: 'v-1', upSince: '2026-11-01T10:00:00.000Z', takerId: people.zelie.id },
		{ teamId, visitId: 'v-1', upSince: '2026-11-03T10:00:00.000Z', takerId: people.bob.id }
	]);

	const governance = governanceMirror(collab);
	const d = await decisions.propose(database.db, governance, {
		teamId,
		proposerId: people.zelie.id,
		title: 'Tournée du samedi à deux',
		driver: 'Samedis trop chargés',
		text: 'Deux personnes le samedi matin',
		area: 'rota',
		reviewDate: '2027-03-01',
		mode: 'meeting'
	});
	const moved = await decisions.move(database.db, governance, {
		teamId,
		decisionId: d.id,
		userId: people.zelie.id,
		move: { type: 'open-round' }
	});
	expect(moved.ok).toBe(true);
	const announced = await advice.announce(database.db, adviceMirror(collab), {
		teamId,
		deciderId: people.zelie.id,
		title: 'Changer de fournisseur de gants',
		situation: 'Les gants se déchirent.',
		intent: 'Commander chez le grossiste.',
		area: 'team',
		reviewDate: '2027-03-01',
		affected: [people.bob.id],
		experts: []
	});
	expect(announced.ok).toBe(true);
	await roles.addTemplates(database.db, teamId);
	const [first, second] = (await roles.overview(database.db, teamId, TODAY)).roles;
	await roles.assign(database.db, {
		roleId: first!.id,
		memberId: people.zelie.id,
		from: TODAY,
		termMonths: 12
	});
	const electionId = (await roles.startElection(database.db, {
		teamId,
		roleId: second!.id,
		convenerId: people.bob.id
	}))!;
	const nominated = await roles.electionMove(database.db, {
		teamId,
		electionId,
		userId: people.zelie.id,
		move: { type: 'nominate', nominee: people.bob.id, reason: 'Il connaît les tournées' },
		today: TODAY
	});
	expect(nominated.ok).toBe(true);
	await accessLog.record(database.db, { teamId, clientId: 'c-1', userId: people.zelie.id });
	await accessLog.record(database.db, { teamId, clientId: 'c-1', userId: people.bob.id });
	await devices.remember(
		database.db,
		{ cookies: jar(), url: new URL('http://localhost/login') },
		people.zelie.id
	);

	// A meeting Zélie facilitated, closed with its minutes.
	const planned = await meetings.next(database.db, teamId, TODAY);
	meetingId = planned.id;
	await database.db
		.update(meeting)
		.set({ facilitatorId: people.zelie.id })
		.where(eq(meeting.id, planned.id));
	await meetings.start(database.db, meetingMirror(collab), { teamId, meetingId: planned.id });
	const closed = await meetings.close(database.db, meetingMirror(collab), collab, {
		teamId,
		meetingId: planned.id,
		today: TODAY
	});
	expect(closed.ok).toBe(true);
}

describe('the account export', () => {
	it('holds everything Kring keeps about the person, grouped, and nothing of anyone else nor any secret', async () => {
		await plant();
		const data = await accounts.exportData(database.db, harness.collab, people.zelie.id);
		expect(data).not.toBeNull();
		expect(data!.account).toMatchObject({ name: NAME, email: 'zelie@example.org' });
		expect(data!.memberships).toEqual([expect.objectContaining({ team: 'Équipe Nord' })]);
		expect(data!.decisions.proposed).toEqual([
			expect.objectContaining({ team: 'Équipe Nord', title: 'Tournée du samedi à deux' })
		]);
		expect(data!.decisions.moves.map((m) => (m.move as { type: string }).type)).toEqual(
			expect.arrayContaining(['open-round'])
		);
		expect(data!.advice.decided).toEqual([
			expect.objectContaining({ title: 'Changer de fournisseur de gants' })
		]);
		expect(data!.roles).toEqual([expect.objectContaining({ team: 'Équipe Nord', from: TODAY })]);
		expect(data!.elections.moves).toEqual([
			expect.objectContaining({ move: expect.objectContaining({ type: 'nominate' }) })
		]);
		expect(data!.absences).toEqual([
			expect.objectContaining({
				kind: 'sickness',
				from: '2026-11-09',
				to: '2026-11-11',
				note: 'grippe'
			})
		]);
		expect(data!.rotaVisits).toEqual([
			expect.objectContaining({ date: '2026-11-10', start: 480, clientId: 'c-1' })
		]);
		expect(data!.transmissions).toEqual([
			expect.objectContaining({ team: 'Équipe Nord', clientId: 'c-1', text: TRANSMISSION })
		]);
		expect(data!.boardNotes).toEqual([expect.objectContaining({ text: NOTE })]);
		// Her read receipt of Bob's entry (ids and time, not his text), not his own receipts.
		expect(data!.readReceipts).toEqual([
			{
				team: 'Équipe Nord',
				clientId: 'c-1',
				transmissionId: bobsEntry,
				at: '2026-11-02T09:00:00.000Z'
			}
		]);
		expect(data!.visitsTaken).toEqual([
			expect.objectContaining({ team: 'Équipe Nord', visitId: 'v-1' })
		]);
		expect(data!.sessions).toHaveLength(1);
		expect(data!.loginDevices).toHaveLength(1);
		// Her opening the caseload document (client null) and the card.
		expect(data!.accessTraces.map((a) => a.clientId).sort()).toEqual(['c-1', null]);

		const text = JSON.stringify(data);
		// Not the colleague's: their transmission, their session (their trace: two above, not three).
		expect(text).not.toContain('Bob est passé');
		expect(text).not.toContain(people.bob.token.split('.')[0]!);
		// No secret: neither hashes nor the session token.
		expect(text).not.toMatch(/argon2|passwordHash|secretHash|tokenHash/);
		expect(text).not.toContain(people.zelie.token.split('.')[1]!);
		expect(text).not.toContain(people.zelie.token.split('.')[0]!);
	});
});

describe('the account erasure', () => {
	it('takes the name off transmissions, board notes and minutes, down to the stored bytes', async () => {
		const collab = harness.collab;
		const caseload = `team/${teamId}/caseload`;
		const boardName = `team/${teamId}/board`;
		await accounts.erase(database.db, collab, people.zelie.id);
		expect(await accounts.get(database.db, people.zelie.id)).toBeNull();
		// Her claims on visits go with her; Bob's stay.
		expect((await database.db.select().from(rotaTake)).map((r) => r.takerId)).toEqual([
			people.bob.id
		]);

		const entries = await collab.read(caseload, (doc) => transmissionsOf(doc, 'c-1'));
		const theirs = entries.find((t) => t.text === TRANSMISSION)!;
		expect(theirs).toMatchObject({ authorId: '', authorName: '' });
		// The colleague's entry keeps its author.
		expect(entries.find((t) => t.text === 'Bob est passé')).toMatchObject({
			authorName: 'Bob Durand'
		});
		const note = await collab.read(boardName, (doc) => notesOf(doc).get('note-z')!.toJSON());
		expect(note).toMatchObject({ text: NOTE, author: '' });

		// Neither the log nor the snapshots keep the name.
		const needle = Buffer.from(NAME);
		const found: string[] = [];
		for (const row of await database.db.select().from(collabUpdate))
			if (Buffer.from(row.update).includes(needle)) found.push(`collab_update ${row.docName}`);
		for (const row of await database.db.select().from(collabSnapshot))
			if (Buffer.from(row.state).includes(needle)) found.push(`collab_snapshot ${row.docName}`);
		expect(found).toEqual([]);
		// The minutes name people by id only; the id now names nobody.
		const [minutes] = await database.db.select().from(meeting).where(eq(meeting.id, meetingId));
		expect(minutes!.minutes).toMatchObject({ facilitatorId: people.zelie.id });
		expect(JSON.stringify(minutes!.minutes)).not.toContain(NAME);
		expect((await teams.namesOf(database.db, [people.zelie.id])).length).toBe(0);

		// A document loaded again from storage says the same.
		const reloaded = new Y.Doc();
		Y.applyUpdate(reloaded, await collab.snapshot(caseload));
		expect(JSON.stringify(reloaded.getMap('clients').toJSON())).not.toContain(NAME);

		// What the pages draw for an author-less entry and note.
		const panel = render(TransmissionsPanel, {
			props: {
				entries,
				me: 'someone-else',
				since: null,
				memberIds: [],
				readers: new Map(),
				nameOf: (id: string) => id,
				onadd: () => {},
				onseen: () => {}
			}
		}).body;
		expect(panel).toContain('Ancien membre');
		expect(panel).toContain('Bob Durand');
		expect(panel).not.toContain(NAME);
		const card = render(NoteCard, {
			props: {
				id: 'note-z',
				text: NOTE,
				author: String(note.author),
				editors: [],
				onedit: () => {},
				onremove: () => {},
				onfocus: () => {},
				onblur: () => {}
			}
		}).body;
		expect(card).toContain('Ancien membre');
	});
});

describe('the client erasure', () => {
	it('takes the claims on the client’s visits with them', async () => {
		expect(
			await eraseClient(
				database.db,
				{ collab: harness.collab, projection },
				{ teamId, clientId: 'c-1', confirmName: 'm. paul girard' }
			)
		).toBe('erased');
		expect(await database.db.select().from(rotaTake)).toEqual([]);
		expect(await database.db.select().from(rotaVisit).where(eq(rotaVisit.clientId, 'c-1'))).toEqual(
			[]
		);
	});
});
