import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { electionMirror, governanceMirror } from '../../src/lib/server/collab/governance';
import * as roles from '../../src/lib/server/governance/roles';
import { CollabServer } from '../../src/lib/server/collab/server';
import { decision } from '../../src/lib/server/db/schema';
import * as decisions from '../../src/lib/server/governance/decisions';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';
import { formTeam } from '../helpers/team';

// Decisions through the server module, on a real database, mirrored by a real collab server into
// the governance document that stock y-websocket clients read.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let collab: CollabServer;
let harness: Awaited<ReturnType<typeof startCollab>>;
let origin: string;
let teamId: string;
let mirror: decisions.Mirror;
const people = {} as Record<
	'aicha' | 'camille' | 'sophie' | 'outsider',
	{ id: string; token: string }
>;
const clients: Client[] = [];

beforeAll(async () => {
	database = await createTestDatabase();
	people.aicha = await personWithSession(database.db, 'Aïcha Benali', 'aicha@example.org');
	people.camille = await personWithSession(database.db, 'Camille Lefèvre', 'camille@example.org');
	people.sophie = await personWithSession(database.db, 'Sophie Garnier', 'sophie@example.org');
	people.outsider = await personWithSession(database.db, 'Olivier Dupont', 'olivier@example.org');
	teamId = await formTeam(database.db, people.aicha, [people.camille, people.sophie]);
	harness = await startCollab(database.db);
	collab = harness.collab;
	origin = harness.origin;
	mirror = governanceMirror(collab);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

const base = {
	title: 'Tournée du samedi à deux',
	driver: 'Samedis trop chargés',
	text: 'Deux personnes le samedi matin',
	area: 'rota' as const,
	reviewDate: '2027-03-01'
};

describe('decisions on the server', () => {
	it('goes from objection to amendment to adoption, and every open board sees it without a reload', async () => {
		const board = openDocument(origin, `team/${teamId}/governance`, people.sophie.token);
		clients.push(board);
		await board.synced;
		const d = await decisions.propose(database.db, mirror, {
			...base,
			teamId,
			proposerId: people.aicha.id,
			mode: 'meeting'
		});
		await waitFor(() => board.doc.getMap('decisions').has(d.id), 'the proposal on the board');
		const as = (who: keyof typeof people, move: Parameters<typeof decisions.move>[2]['move']) =>
			decisions.move(database.db, mirror, {
				teamId,
				decisionId: d.id,
				userId: people[who].id,
				move
			});
		expect((await as('aicha', { type: 'open-round' })).ok).toBe(true);
		await as('aicha', { type: 'answer', version: 1, kind: 'consent', reason: '' });
		await as('camille', { type: 'answer', version: 1, kind: 'consent', reason: '' });
		const objected = await as('sophie', {
			type: 'answer',
			version: 1,
			kind: 'objection',
			reason: 'Personne formé aux transferts'
		});
		expect(objected.ok && objected.decision.stage).toBe('round');
		await waitFor(
			() => (board.doc.getMap('decisions').get(d.id) as { objections: number }).objections === 1,
			'the objection on the board'
		);
		await as('aicha', { type: 'amend', text: 'Deux personnes, dont une formée aux transferts' });
		for (const who of ['aicha', 'camille', 'sophie'] as const)
			await as(who, { type: 'answer', version: 2, kind: 'consent', reason: '' });
		await waitFor(
			() => (board.doc.getMap('decisions').get(d.id) as { stage: string }).stage === 'adopted',
			'adopted on the board'
		);
		const [row] = await database.db.select().from(decision).where(eq(decision.id, d.id));
		expect(row).toMatchObject({ stage: 'adopted', revision: 9 }); // the proposal and eight moves
		expect((await decisions.events(database.db, d.id)).map((e) => e.userId)).toContain(
			people.sophie.id
		);
	});

	it('enforces the same rules as the pure module: no one outside, no adoption past an objection, nothing after sealing', async () => {
		const d = await decisions.propose(database.db, mirror, {
			...base,
			teamId,
			proposerId: people.aicha.id,
			mode: 'meeting'
		});
		const as = (who: keyof typeof people, move: Parameters<typeof decisions.move>[2]['move']) =>
			decisions.move(database.db, mirror, {
				teamId,
				decisionId: d.id,
				userId: people[who].id,
				move
			});
		expect(await as('outsider', { type: 'ask', questionId: 'q', text: '?' })).toEqual({
			ok: false,
			reason: 'not-a-participant'
		});
		expect(await as('camille', { type: 'open-round' })).toEqual({
			ok: false,
			reason: 'not-the-proposer'
		});
		await as('aicha', { type: 'open-round' });
		await as('sophie', { type: 'answer', version: 1, kind: 'objection', reason: 'Non' });
		await as('aicha', { type: 'answer', version: 1, kind: 'consent', reason: '' });
		await as('camille', { type: 'answer', version: 1, kind: 'consent', reason: '' });
		expect((await decisions.read(database.db, mirror, { teamId, decisionId: d.id }))?.stage).toBe(
			'round'
		);
		await as('aicha', { type: 'withdraw' });
		expect(await as('sophie', { type: 'withdraw-objection', version: 1 })).toEqual({
			ok: false,
			reason: 'sealed'
		});
		// Another team cannot reach it at all.
		expect(
			await decisions.move(database.db, mirror, {
				teamId: 'another',
				decisionId: d.id,
				userId: people.aicha.id,
				move: { type: 'withdraw' }
			})
		).toEqual({ ok: false, reason: 'not-found' });
	});

	it('closes an async round at its deadline when it is next read, and mirrors the outcome', async () => {
		const t0 = new Date('2026-11-24T09:00:00Z');
		const d = await decisions.propose(database.db, mirror, {
			...base,
			teamId,
			proposerId: people.aicha.id,
			mode: 'async',
			deadline: '2026-11-26T18:00:00Z',
			now: t0
		});
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId: d.id,
			userId: people.aicha.id,
			move: { type: 'open-round' },
			now: t0
		});
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId: d.id,
			userId: people.aicha.id,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' },
			now: t0
		});
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId: d.id,
			userId: people.camille.id,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' },
			now: t0
		});
		expect(
			(
				await decisions.read(database.db, mirror, {
					teamId,
					decisionId: d.id,
					now: new Date('2026-11-25T09:00:00Z')
				})
			)?.stage
		).toBe('round');
		const after = await decisions.read(database.db, mirror, {
			teamId,
			decisionId: d.id,
			now: new Date('2026-11-27T09:00:00Z')
		});
		expect(after?.stage).toBe('adopted');
		const [row] = await database.db.select().from(decision).where(eq(decision.id, d.id));
		expect(row?.stage).toBe('adopted');
		const log = await decisions.list(database.db, { teamId, stage: 'adopted', query: 'samedi' });
		expect(log.map((l) => l.id)).toContain(d.id);
	});

	it('drops what a member’s socket writes into the governance document', async () => {
		const sneaky = openDocument(origin, `team/${teamId}/governance`, people.camille.token);
		clients.push(sneaky);
		await sneaky.synced;
		sneaky.doc
			.getMap('decisions')
			.set('forged', { title: 'Tout le monde en congé', stage: 'adopted' });
		const honest = openDocument(origin, `team/${teamId}/governance`, people.sophie.token);
		clients.push(honest);
		await honest.synced;
		await new Promise((r) => setTimeout(r, 200));
		expect(honest.doc.getMap('decisions').has('forged')).toBe(false);
		expect(collab.stats.droppedWrites).toBeGreaterThan(0);
	});

	it('mirrors election moves into the governance document, for every open board', async () => {
		const board = openDocument(origin, `team/${teamId}/governance`, people.camille.token);
		clients.push(board);
		await board.synced;
		await roles.addTemplates(database.db, teamId);
		const roleId = (await roles.overview(database.db, teamId, '2026-11-24')).roles[0]!.id;
		const electionId = (await roles.startElection(database.db, {
			teamId,
			roleId,
			convenerId: people.aicha.id
		}))!;
		const moved = await roles.electionMove(database.db, {
			teamId,
			electionId,
			userId: people.sophie.id,
			move: { type: 'nominate', nominee: people.camille.id, reason: 'Elle connaît tout le monde' },
			today: '2026-11-24',
			mirror: electionMirror(collab)
		});
		expect(moved.ok).toBe(true);
		await waitFor(
			() =>
				(board.doc.getMap('elections').get(electionId) as { nominations?: number } | undefined)
					?.nominations === 1,
			'the nomination on the board'
		);
		expect(board.doc.getMap('elections').get(electionId)).toMatchObject({
			roleId,
			stage: 'nominations'
		});
	});
});
