import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	addClient,
	addTransmission,
	carePlanOf,
	clientsOf,
	markRead
} from '../../src/lib/collab/caseload';
import { putVisit, updateVisit, visitsMap } from '../../src/lib/collab/rota';
import type { Visit } from '../../src/lib/domain/rota';
import { indexableKey } from '../../src/lib/server/db/storable';
import * as accessLog from '../../src/lib/server/caseload/access-log';
import { eraseClient } from '../../src/lib/server/caseload/erase';
import { caseloadCsv, clientExport } from '../../src/lib/server/caseload/export';
import * as history from '../../src/lib/server/caseload/history';
import { weekContext } from '../../src/lib/server/rota/rota';
import { Projections } from '../../src/lib/server/collab/projections';
import { CollabServer } from '../../src/lib/server/collab/server';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import {
	absence,
	client,
	clientAccess,
	collabChange,
	collabSnapshot,
	collabUpdate,
	rotaVisit,
	visitPattern
} from '../../src/lib/server/db/schema';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { startCollab, personWithSession } from '../helpers/collab-harness';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { createTestDatabase } from '../helpers/database';

// The caseload's server side with its real parts: a collab server on a real socket over the test
// database, the projection listening to its commits, and stock y-websocket clients editing.

const HOUR = 60 * 60 * 1000;
const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let collab: CollabServer;
let projection: Projections;
let harness: Awaited<ReturnType<typeof startCollab>>;
let origin: string;
let teamId: string;
let otherTeamId: string;
const people = {} as Record<'alice' | 'bob', { id: string; token: string }>;
const clients: Client[] = [];

const docName = () => `team/${teamId}/caseload`;

function connect(who: keyof typeof people, name = docName()): Client {
	const c = openDocument(origin, name, people[who].token);
	clients.push(c);
	return c;
}

/** Rows of a raw query, whichever driver ran it (PGlite answers `{ rows }`, postgres.js an array). */
function rowsOf<T>(result: unknown): T[] {
	if (Array.isArray(result)) return result as T[];
	return ((result as { rows?: T[] }).rows ?? []) as T[];
}

async function clientRow(id: string, team = teamId) {
	const [row] = await database.db
		.select()
		.from(client)
		.where(and(eq(client.teamId, team), eq(client.id, id)));
	return row ?? null;
}

beforeAll(async () => {
	database = await createTestDatabase();
	people.alice = await personWithSession(database.db, 'Alice Martin', 'alice@example.org');
	people.bob = await personWithSession(database.db, 'Bob Durand', 'bob@example.org');
	teamId = await teams.create(database.db, {
		name: 'Équipe Test',
		creatorId: people.alice.id,
		...nurse
	});
	otherTeamId = await teams.create(database.db, {
		name: 'Équipe Voisine',
		creatorId: people.bob.id,
		...nurse
	});
	const { token } = await invitations.create(database.db, {
		teamId,
		kind: 'member',
		createdBy: people.alice.id
	});
	const accepted = await invitations.accept(database.db, {
		token,
		userId: people.bob.id,
		profile: nurse
	});
	if (!accepted.ok) throw new Error(`invitation failed: ${accepted.reason}`);

	harness = await startCollab(database.db, {
		unloadGraceMs: 200,
		compactThreshold: 40,
		onCommit: (name) => projection.notify(name)
	});
	collab = harness.collab;
	origin = harness.origin;
	projection = new Projections(database.db, collab, { delayMs: 50 });
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await projection?.stop();
	await database?.dispose();
});

describe('the caseload read model', () => {
	it('shows a card made through a WebsocketProvider in the tables shortly after, and follows its edits', async () => {
		const alice = connect('alice');
		await alice.synced;
		addClient(alice.doc, 'c-roux', {
			name: 'Mme Jeanne Roux',
			address: '12 rue Dumenge',
			sector: 'Plateau',
			primaryCarerId: people.bob.id,
			visitPattern: [
				{ weekday: 1, start: 480, minutes: 30, qualification: 'nurse' },
				{ weekday: 4, start: 480, minutes: 45, qualification: 'any' }
			]
		});
		// Absences live on the team board (no client data), projected into the same read model.
		const board = connect('alice', `team/${teamId}/board`);
		await board.synced;
		board.doc.getMap('absences').set('a1', {
			memberId: people.bob.id,
			kind: 'leave',
			from: '2026-12-21',
			to: '2026-12-31',
			note: '',
			endsAt: 720
		});

		await expect
			.poll(() => clientRow('c-roux'), { timeout: 5_000 })
			.toMatchObject({
				name: 'Mme Jeanne Roux',
				sector: 'Plateau',
				status: 'active',
				primaryCarerId: people.bob.id,
				problems: []
			});
		const slots = await database.db
			.select()
			.from(visitPattern)
			.where(eq(visitPattern.clientId, 'c-roux'));
		expect(slots.map((s) => [s.weekday, s.start, s.minutes, s.qualification])).toEqual([
			[1, 480, 30, 'nurse'],
			[4, 480, 45, 'any']
		]);
		// The rota week reads each client with its pattern, slots in the card's order.
		const week = await weekContext(database.db, collab, { teamId, monday: '2026-12-21' });
		expect(week.clients.find((c) => c.id === 'c-roux')).toMatchObject({
			name: 'Mme Jeanne Roux',
			active: true,
			visitPattern: [
				{ weekday: 1, start: 480, minutes: 30, qualification: 'nurse' },
				{ weekday: 4, start: 480, minutes: 45, qualification: 'any' }
			]
		});
		const absences = () => database.db.select().from(absence).where(eq(absence.teamId, teamId));
		await expect.poll(absences, { timeout: 5_000 }).toMatchObject([
			{
				id: 'a1',
				memberId: people.bob.id,
				kind: 'leave',
				startsOn: '2026-12-21',
				endsOn: '2026-12-31',
				startsAt: null,
				endsAt: 720
			}
		]);

		// A colleague renames the card from another connection: the row follows.
		const bob = connect('bob');
		await bob.synced;
		(clientsOf(bob.doc).get('c-roux') as Y.Map<unknown>).set('name', 'Mme Jeanne Roux-Perrin');
		await expect
			.poll(async () => (await clientRow('c-roux'))?.name, { timeout: 5_000 })
			.toBe('Mme Jeanne Roux-Perrin');
	});

	it('flags a malformed card instead of failing, and keeps projecting the good ones', async () => {
		const alice = connect('alice');
		await alice.synced;
		alice.doc.transact(() => {
			const bad = new Y.Map<unknown>();
			bad.set('name', 'M. Henri Faure');
			bad.set('status', 'gone');
			bad.set('visitPattern', 'tous les jours');
			bad.set('firstVisit', 'fait');
			clientsOf(alice.doc).set('c-bad', bad);
			clientsOf(alice.doc).set('c-junk', 42 as unknown as Y.Map<unknown>);
		});
		addClient(alice.doc, 'c-good', { name: 'Mme Odette Blanc', address: '', sector: 'Pentes' });
		await expect.poll(() => clientRow('c-good'), { timeout: 5_000 }).not.toBeNull();
		const bad = await clientRow('c-bad');
		expect(bad).toMatchObject({ name: 'M. Henri Faure', status: 'active' });
		expect(bad?.problems).toEqual(
			expect.arrayContaining(['status-invalid', 'pattern-invalid', 'first-visit-invalid'])
		);
		expect((await clientRow('c-junk'))?.problems).toContain('name-missing');
	});

	it('projects cards and visits whose keys or text Postgres cannot hold, and keeps projecting', async () => {
		// Any member's update may carry a NUL, a lone surrogate or a 10,000-character key: each made
		// every write of the team's rows fail, for ever (seen under the long fuzz).
		const alice = connect('alice');
		await alice.synced;
		const long = 'k'.repeat(10_000);
		addClient(alice.doc, 'c-nul\u0000', {
			name: 'Nul \u0000 ici',
			address: '\ud800',
			sector: 'Pentes'
		});
		addClient(alice.doc, long, { name: 'Clé longue', address: '', sector: 'Pentes' });
		addClient(alice.doc, 'c-after-odd', { name: 'Mme Rose Martin', address: '', sector: 'Pentes' });
		await expect.poll(() => clientRow('c-after-odd'), { timeout: 5_000 }).not.toBeNull();
		expect(await clientRow(indexableKey('c-nul\u0000'))).toMatchObject({
			name: 'Nul \uFFFD ici',
			address: '\uFFFD'
		});
		expect(await clientRow(indexableKey(long))).toMatchObject({ name: 'Clé longue' });

		const week = connect('bob', `team/${teamId}/rota/2026-W47`);
		await week.synced;
		const visit = (id: string, carerId: string | null): Visit => ({
			id,
			clientId: 'c-after-odd',
			date: '2026-11-17',
			start: 480,
			minutes: 30,
			carerId,
			qualification: 'any',
			changedAt: null
		});
		putVisit(week.doc, visit('v-nul\u0000', long));
		putVisit(week.doc, visit('v-after-odd', null));
		const ids = async () =>
			(
				await database.db
					.select({ id: rotaVisit.id, carerId: rotaVisit.carerId })
					.from(rotaVisit)
					.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.week, '2026-W47')))
					.orderBy(rotaVisit.id)
			).map((r) => [r.id, r.carerId]);
		await expect.poll(ids, { timeout: 5_000 }).toEqual([
			['v-after-odd', null],
			[indexableKey('v-nul\u0000'), indexableKey(long)]
		]);
	});

	it('erases a card whose id Postgres cannot hold, or reads as a LIKE pattern, and only it', async () => {
		// A card's id is whatever a member gave it: erasing one with a NUL failed half way (after the
		// document, before the tables), and one named `%` matched every card's read receipts.
		const alice = connect('alice');
		await alice.synced;
		const odd = 'c-odd\u0000';
		addClient(alice.doc, odd, { name: 'Mme Odile Nul', address: '', sector: 'Pentes' });
		addClient(alice.doc, '%', { name: 'Mme Pat Tern', address: '', sector: 'Pentes' });
		addClient(alice.doc, 'c-kept', { name: 'Mme Gardée', address: '', sector: 'Pentes' });
		markRead(alice.doc, 'c-kept', ['t-1'], people.alice.id);
		await expect.poll(() => clientRow('c-kept'), { timeout: 5_000 }).not.toBeNull();
		const entries = async () =>
			(
				await database.db
					.select({ entry: collabChange.entry })
					.from(collabChange)
					.where(eq(collabChange.docName, `team/${teamId}/caseload`))
			).map((r) => r.entry);
		await expect.poll(entries, { timeout: 5_000 }).toContain('reads/c-kept:t-1:' + people.alice.id);
		const parts = { collab, projection };
		for (const [clientId, confirmName] of [
			[odd, 'Mme Odile Nul'],
			['%', 'Mme Pat Tern']
		] as const) {
			expect(await eraseClient(database.db, parts, { teamId, clientId, confirmName })).toBe(
				'erased'
			);
			expect(await clientRow(indexableKey(clientId))).toBeNull();
		}
		expect(await clientRow('c-kept')).not.toBeNull();
		expect(await entries()).toContain('reads/c-kept:t-1:' + people.alice.id);
		expect(await entries()).not.toContain(`clients/${indexableKey(odd)}`);
	});

	it('keeps who changed what on a card, even after the log is compacted', async () => {
		const alice = connect('alice');
		const bob = connect('bob');
		await Promise.all([alice.synced, bob.synced]);
		addClient(alice.doc, 'c-hist', {
			name: 'M. Lucien Perrin',
			address: '4 rue Belfort',
			sector: 'Plateau'
		});
		await waitFor(() => carePlanOf(bob.doc, 'c-hist') !== null, 'the card at Bob');
		// Enough keystrokes to pass the compaction threshold (40) several times over.
		const plan = carePlanOf(bob.doc, 'c-hist')!;
		const typed = 'Toilette au lavabo, stimulation à la marche. Surveiller les pieds.';
		for (const ch of typed) plan.insert(plan.length, ch);
		await waitFor(() => carePlanOf(alice.doc, 'c-hist')?.toString() === typed, 'the plan at Alice');
		(clientsOf(alice.doc).get('c-hist') as Y.Map<unknown>).set('status', 'paused');
		await expect
			.poll(
				async () =>
					(await history.forClient(database.db, teamId, 'c-hist')).map((l) => [l.userId, l.topic]),
				{ timeout: 5_000 }
			)
			.toEqual([
				[people.alice.id, 'status'],
				[people.bob.id, 'carePlan'],
				[people.alice.id, 'created']
			]);
		const [snapshot] = await database.db
			.select()
			.from(collabSnapshot)
			.where(eq(collabSnapshot.docName, docName()));
		expect(snapshot?.uptoSeq ?? 0).toBeGreaterThan(0);
		const carePlanLine = (await history.forClient(database.db, teamId, 'c-hist')).find(
			(l) => l.topic === 'carePlan'
		);
		expect(carePlanLine?.changes).toBeGreaterThan(40);
	});

	it('rebuilds the read model from the documents alone', async () => {
		await projection.settle(teamId);
		const before = await database.db
			.select()
			.from(client)
			.where(eq(client.teamId, teamId))
			.orderBy(client.id);
		await database.db.delete(visitPattern);
		await database.db.delete(client);
		await database.db.delete(absence);
		expect(await projection.rebuildAll()).toBeGreaterThanOrEqual(1);
		const after = await database.db
			.select()
			.from(client)
			.where(eq(client.teamId, teamId))
			.orderBy(client.id);
		const strip = (rows: typeof before) => rows.map(({ projectedAt: _p, ...rest }) => rest);
		expect(strip(after)).toEqual(strip(before));
		expect(
			await database.db.select().from(visitPattern).where(eq(visitPattern.clientId, 'c-roux'))
		).toHaveLength(2);
	});

	it('exports the caseload as CSV a spreadsheet opens, with formulas defused', async () => {
		const alice = connect('alice');
		await alice.synced;
		addClient(alice.doc, 'c-csv', {
			name: '=HYPERLINK("http://x")',
			address: '1 rue; Test',
			sector: 'Serin'
		});
		await projection.settle(teamId);
		await expect.poll(() => clientRow('c-csv'), { timeout: 5_000 }).not.toBeNull();
		const csv = await caseloadCsv(database.db, teamId, new Map([[people.bob.id, 'Bob Durand']]));
		expect(csv.startsWith('\ufeff')).toBe(true);
		const lines = csv.slice(1).split('\r\n');
		expect(lines[0]).toContain('Nom;Adresse;Secteur');
		const roux = lines.find((l) => l.startsWith('Mme Jeanne Roux-Perrin'));
		expect(roux).toContain('Bob Durand');
		expect(roux).toMatch(/Lun 8\u00a0h\u00a000 \(30 min\), Jeu 8\u00a0h\u00a000 \(45 min\)/);
		expect(roux).toContain('1\u00a0h\u00a015');
		expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
		expect(csv).toContain('"1 rue; Test"');
	});

	it('erases a client everywhere: document, update log, snapshot, change index and read model', async () => {
		const NAME = 'Mme Zéphyrine Quaglietti';
		const PLAN = 'Pansement ulcère jambe gauche, allergie iode';
		const NOTE = 'Fille joignable au 06 98 76 54 32';
		const alice = connect('alice');
		const bob = connect('bob');
		await Promise.all([alice.synced, bob.synced]);
		addClient(alice.doc, 'c-erase', {
			name: NAME,
			address: '7 quai Joseph-Gillet',
			sector: 'Serin',
			carePlan: PLAN
		});
		// Renamed once: the old name lives on in the log as an overwritten value.
		(clientsOf(alice.doc).get('c-erase') as Y.Map<unknown>).set('name', `${NAME} `);
		await waitFor(() => carePlanOf(bob.doc, 'c-erase') !== null, 'the card at Bob');
		addTransmission(bob.doc, 'c-erase', {
			authorId: people.bob.id,
			authorName: 'Bob Durand',
			text: NOTE
		});
		await accessLog.record(database.db, { teamId, clientId: 'c-erase', userId: people.bob.id });
		await expect.poll(() => clientRow('c-erase'), { timeout: 5_000 }).not.toBeNull();
		// Visits planned in two rota weeks (one with a colleague's too), projected into rota_visit.
		const weeks = [`team/${teamId}/rota/2026-W47`, `team/${teamId}/rota/2026-W48`];
		const plan = (id: string, clientId: string, date: string) => ({
			id,
			clientId,
			date,
			start: 480,
			minutes: 30,
			carerId: people.bob.id,
			qualification: 'any' as const,
			changedAt: null
		});
		await collab.change(weeks[0]!, (doc) =>
			putVisit(doc, plan('v-erase-1', 'c-erase', '2026-11-17'))
		);
		await collab.change(weeks[1]!, (doc) => {
			putVisit(doc, plan('v-erase-2', 'c-erase', '2026-11-24'));
			putVisit(doc, plan('v-roux-1', 'c-roux', '2026-11-24'));
		});
		const visitRows = (clientId: string) =>
			database.db
				.select({ id: rotaVisit.id })
				.from(rotaVisit)
				.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.clientId, clientId)));
		await expect.poll(async () => (await visitRows('c-erase')).length, { timeout: 5_000 }).toBe(2);
		const rotaBytesNaming = async (needle: string) => {
			const stored = [
				...(await database.db.select().from(collabUpdate)).map(
					(r) => [r.docName, r.update] as const
				),
				...(await database.db.select().from(collabSnapshot)).map(
					(r) => [r.docName, r.state] as const
				)
			];
			return stored
				.filter(
					([name, bytes]) =>
						weeks.includes(name) && Buffer.from(bytes).includes(Buffer.from(needle))
				)
				.map(([name]) => name);
		};
		expect(await rotaBytesNaming('c-erase')).not.toEqual([]);
		const exported = await clientExport(database.db, collab, {
			teamId,
			clientId: 'c-erase',
			people: new Map()
		});
		expect(JSON.stringify(exported)).toContain(NOTE);

		// The stored bytes hold the name before erasure (the test can see it)…
		const everywhere = async () => {
			const found: string[] = [];
			const needles = [NAME, PLAN, NOTE].map((s) => Buffer.from(s));
			for (const row of await database.db.select().from(collabUpdate)) {
				if (needles.some((n) => Buffer.from(row.update).includes(n)))
					found.push(`collab_update ${row.docName} #${row.seq}`);
			}
			for (const row of await database.db.select().from(collabSnapshot)) {
				if (needles.some((n) => Buffer.from(row.state).includes(n)))
					found.push(`collab_snapshot ${row.docName}`);
			}
			// Every other table, as text.
			const tables = rowsOf<{ table_name: string }>(
				await database.db.execute(
					sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`
				)
			);
			for (const { table_name } of tables) {
				const dump = rowsOf<{ text: string | null }>(
					await database.db.execute(
						sql.raw(`select string_agg(t::text, ' ') as text from "${table_name}" t`)
					)
				);
				const text = dump[0]?.text ?? '';
				if ([NAME, PLAN, NOTE].some((s) => text.includes(s))) found.push(`table ${table_name}`);
			}
			return found;
		};
		expect(await everywhere()).not.toEqual([]);

		// A wrong confirmation erases nothing.
		const parts = { collab, projection };
		expect(
			await eraseClient(database.db, parts, {
				teamId,
				clientId: 'c-erase',
				confirmName: 'Mme Zéphyrine'
			})
		).toBe('mismatch');
		expect(await clientRow('c-erase')).not.toBeNull();

		expect(
			await eraseClient(database.db, parts, {
				teamId,
				clientId: 'c-erase',
				confirmName: NAME.toUpperCase()
			})
		).toBe('erased');
		expect(await everywhere()).toEqual([]);
		expect(await clientRow('c-erase')).toBeNull();
		// The visits left every rota week (stored bytes included) and the read model feeds read.
		expect(await visitRows('c-erase')).toEqual([]);
		expect(await rotaBytesNaming('c-erase')).toEqual([]);
		for (const week of weeks) {
			expect(
				await collab.read(week, (doc) =>
					[...visitsMap(doc).values()].filter((v) => (v as Visit).clientId === 'c-erase')
				)
			).toEqual([]);
		}
		// Control: another client's visit in the same week stays.
		expect(await visitRows('c-roux')).toEqual([{ id: 'v-roux-1' }]);
		await collab.change(weeks[1]!, (doc) => visitsMap(doc).delete('v-roux-1'));
		await expect.poll(async () => (await visitRows('c-roux')).length, { timeout: 5_000 }).toBe(0);
		expect(await history.forClient(database.db, teamId, 'c-erase')).toEqual([]);
		const changes = await database.db
			.select()
			.from(collabChange)
			.where(eq(collabChange.entry, 'clients/c-erase'));
		expect(changes).toEqual([]);
		// The access trace keeps its rows (ids only): the law asks for it.
		expect(
			await database.db.select().from(clientAccess).where(eq(clientAccess.clientId, 'c-erase'))
		).toHaveLength(1);
		// Open boards lose the card at once; the rest of the caseload is untouched.
		await waitFor(() => !clientsOf(bob.doc).has('c-erase'), 'the card gone at Bob');
		expect(clientsOf(bob.doc).has('c-roux')).toBe(true);
		expect(await clientRow('c-roux')).not.toBeNull();
		// And a fresh load from the store has neither the card nor its name.
		const reloaded = new Y.Doc();
		const stored = await new PostgresDocStore(database.db).load(docName());
		if (stored.snapshot) Y.applyUpdate(reloaded, stored.snapshot);
		for (const u of stored.updates) Y.applyUpdate(reloaded, u.update);
		expect(clientsOf(reloaded).has('c-erase')).toBe(false);
		expect(clientsOf(reloaded).has('c-roux')).toBe(true);
		expect(
			await eraseClient(database.db, parts, { teamId, clientId: 'c-erase', confirmName: NAME })
		).toBe('missing');
	});

	it('traces an opening once, not every reload within minutes', async () => {
		const first = new Date('2026-11-20T08:00:00Z');
		const entry = { teamId: otherTeamId, clientId: 'c-twice', userId: people.bob.id };
		await accessLog.record(database.db, entry, first);
		await accessLog.record(database.db, entry, new Date(first.getTime() + 60_000));
		await accessLog.record(
			database.db,
			{ ...entry, userId: people.alice.id },
			new Date(first.getTime() + 60_000)
		);
		await accessLog.record(
			database.db,
			entry,
			new Date(first.getTime() + accessLog.ACCESS_REPEAT_MS + 60_000)
		);
		const trace = await accessLog.forClient(database.db, otherTeamId, 'c-twice');
		expect(trace.map((t) => t.userId)).toEqual([people.bob.id, people.alice.id, people.bob.id]);
		await database.db.delete(clientAccess).where(eq(clientAccess.clientId, 'c-twice'));
	});

	it('keeps the access trace six months, then deletes it', async () => {
		const now = new Date('2026-11-24T10:00:00Z');
		const old = new Date(now.getTime() - 184 * 24 * HOUR);
		const recent = new Date(now.getTime() - 182 * 24 * HOUR);
		await database.db.insert(clientAccess).values([
			{ teamId: otherTeamId, clientId: 'c-old', userId: people.bob.id, at: old },
			{ teamId: otherTeamId, clientId: 'c-recent', userId: people.bob.id, at: recent }
		]);
		expect(await accessLog.purge(database.db, now)).toBeGreaterThanOrEqual(1);
		const left = await accessLog.forTeam(database.db, otherTeamId);
		expect(left.map((e) => e.clientId)).toEqual(['c-recent']);
	});

	it("names the clients a trace mentions, never another team's", async () => {
		const at = new Date('2026-11-24T10:00:00Z');
		const entries = [
			{ clientId: 'c-roux', userId: people.bob.id, at },
			{ clientId: null, userId: people.bob.id, at }
		];
		const names = await accessLog.readClientNames(database.db, teamId, entries);
		expect(Object.keys(names)).toEqual(['c-roux']);
		expect(names['c-roux']).toMatch(/Roux/);
		expect(await accessLog.readClientNames(database.db, otherTeamId, entries)).toEqual({});
	});

	it('projects a rota week edited through a WebsocketProvider into rota_visit, per carer and day', async () => {
		const week = connect('bob', `team/${teamId}/rota/2026-W49`);
		await week.synced;
		putVisit(week.doc, {
			id: 'v1',
			clientId: 'c-roux',
			date: '2026-12-01',
			start: 480,
			minutes: 30,
			carerId: people.bob.id,
			qualification: 'any',
			changedAt: null
		});
		putVisit(week.doc, {
			id: 'v2',
			clientId: 'c-roux',
			date: '2026-12-02',
			start: 480,
			minutes: 30,
			carerId: null,
			qualification: 'nurse',
			changedAt: null
		});
		week.doc.getMap('visits').set('broken', { clientId: 'c-roux', date: 'mardi' });
		const rows = () =>
			database.db
				.select()
				.from(rotaVisit)
				.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.week, '2026-W49')))
				.orderBy(rotaVisit.id);
		await expect
			.poll(async () => (await rows()).map((r) => [r.week, r.id, r.carerId, r.date]), {
				timeout: 5_000
			})
			.toEqual([
				['2026-W49', 'v1', people.bob.id, '2026-12-01'],
				['2026-W49', 'v2', null, '2026-12-02']
			]);
		updateVisit(week.doc, 'v2', { carerId: people.alice.id });
		await expect
			.poll(async () => (await rows()).find((r) => r.id === 'v2')?.carerId, { timeout: 5_000 })
			.toBe(people.alice.id);
	});

	it('writes only the rows that changed, and the whole week again after another instance wrote it', async () => {
		const name = `team/${teamId}/rota/2026-W50`;
		const week = connect('bob', name);
		await week.synced;
		for (const id of ['w1', 'w2'])
			putVisit(week.doc, {
				id,
				clientId: 'c-roux',
				date: '2026-12-08',
				start: id === 'w1' ? 480 : 540,
				minutes: 30,
				carerId: people.bob.id,
				qualification: 'any',
				changedAt: null
			});
		// Each row's xmin names the transaction that wrote it: a row written again gets a new one.
		const stamps = async () =>
			Object.fromEntries(
				rowsOf<{ id: string; x: string; carer: string | null }>(
					await database.db.execute(
						sql`select id, xmin::text as x, carer_id as carer from rota_visit where team_id = ${teamId} and week = '2026-W50'`
					)
				).map((r) => [r.id, r])
			);
		const version = async () =>
			rowsOf<{ v: string }>(
				await database.db.execute(
					sql`select version::text as v from projection_version where doc_name = ${name}`
				)
			)[0]?.v;
		await expect
			.poll(async () => Object.keys(await stamps()).sort(), { timeout: 5_000 })
			.toEqual(['w1', 'w2']);
		await projection.settle(teamId);
		const first = await stamps();
		const v1 = await version();

		// One visit moves: only its row is written again.
		updateVisit(week.doc, 'w2', { carerId: people.alice.id });
		await expect
			.poll(async () => (await stamps()).w2?.carer, { timeout: 5_000 })
			.toBe(people.alice.id);
		await projection.settle(teamId);
		const second = await stamps();
		expect(second.w1!.x).toBe(first.w1!.x);
		expect(second.w2!.x).not.toBe(first.w2!.x);
		expect(Number(await version())).toBeGreaterThan(Number(v1));

		// Another instance wrote the week meanwhile (here: rows that disagree, and its version).
		await database.db.execute(sql`delete from rota_visit where team_id = ${teamId} and id = 'w1'`);
		await database.db.execute(
			sql`update projection_version set version = version + 1 where doc_name = ${name}`
		);
		updateVisit(week.doc, 'w2', { start: 600 });
		await projection.settle(teamId);
		await expect
			.poll(async () => Object.keys(await stamps()).sort(), { timeout: 5_000 })
			.toEqual(['w1', 'w2']);
		const third = await stamps();
		expect(third.w1!.carer).toBe(people.bob.id);

		// A change outside the rows (nothing the read model keeps) writes nothing.
		const before = await version();
		week.doc.getMap('notes').set('ignored', 'hors du modèle de lecture');
		await new Promise((resolve) => setTimeout(resolve, 300));
		await projection.settle(teamId);
		expect(await version()).toBe(before);
		expect((await stamps()).w1!.x).toBe(third.w1!.x);
	});

	it('does not project documents of a team that does not exist, nor other kinds of documents', async () => {
		projection.notify('team/nosuchteam/caseload');
		projection.notify(`team/${teamId}/rota/2026-W48`);
		projection.notify('not a document');
		await projection.settle();
		expect(await database.db.select().from(client).where(eq(client.teamId, 'nosuchteam'))).toEqual(
			[]
		);
	});
});
