import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as advice from '../../src/lib/server/governance/advice';
import { adviceMirror } from '../../src/lib/server/collab/governance';
import { CollabServer } from '../../src/lib/server/collab/server';
import { adviceEvent, adviceProcess } from '../../src/lib/server/db/schema';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as seed from '../../src/lib/server/seed/people';
import { writeDemoAdvice } from '../../src/lib/server/seed/advice';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// The advice process through the server module, on a real database, mirrored by a real collab
// server into the governance document that stock y-websocket clients read.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let collab: CollabServer;
let harness: Awaited<ReturnType<typeof startCollab>>;
let origin: string;
let teamId: string;
let mirror: advice.AdviceMirror;
const people = {} as Record<
	'aicha' | 'camille' | 'sophie' | 'yanis' | 'outsider',
	{ id: string; token: string }
>;
const clients: Client[] = [];

beforeAll(async () => {
	database = await createTestDatabase();
	people.aicha = await personWithSession(database.db, 'Aïcha Benali', 'aicha@example.org');
	people.camille = await personWithSession(database.db, 'Camille Lefèvre', 'camille@example.org');
	people.sophie = await personWithSession(database.db, 'Sophie Garnier', 'sophie@example.org');
	people.yanis = await personWithSession(database.db, 'Yanis Morel', 'yanis@example.org');
	people.outsider = await personWithSession(database.db, 'Olivier Dupont', 'olivier@example.org');
	teamId = await teams.create(database.db, {
		name: 'Équipe Test',
		creatorId: people.aicha.id,
		...nurse
	});
	for (const who of [people.camille, people.sophie]) await join(who.id);
	harness = await startCollab(database.db);
	collab = harness.collab;
	origin = harness.origin;
	mirror = adviceMirror(collab);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

async function join(userId: string) {
	const { token } = await invitations.create(database.db, {
		teamId,
		kind: 'member',
		createdBy: people.aicha.id
	});
	await invitations.accept(database.db, { token, userId, profile: nurse });
}

const announce = (overrides: Partial<Parameters<typeof advice.announce>[2]> = {}) =>
	advice.announce(database.db, mirror, {
		teamId,
		deciderId: people.aicha.id,
		title: 'Changer de fournisseur de gants',
		situation: 'Les gants se déchirent.',
		intent: 'Commander chez le grossiste du quartier.',
		area: 'team',
		reviewDate: '2027-03-01',
		affected: [people.sophie.id],
		experts: [people.camille.id],
		...overrides
	});

async function announced() {
	const out = await announce();
	if (!out.ok) throw new Error(`announcement refused: ${out.refusal.kind}`);
	return out.advice;
}

const as = (
	who: keyof typeof people,
	adviceId: string,
	move: Parameters<typeof advice.move>[2]['move']
) => advice.move(database.db, mirror, { teamId, adviceId, userId: people[who].id, move });

describe('the advice process on the server', () => {
	it('gathers advice, records the decision, and every open board sees it without a reload', async () => {
		const board = openDocument(origin, `team/${teamId}/governance`, people.sophie.token);
		clients.push(board);
		await board.synced;
		const a = await announced();
		const line = () =>
			board.doc.getMap('advice').get(a.id) as ReturnType<typeof advice.adviceSummary> | undefined;
		await waitFor(() => line()?.stage === 'asking', 'the announcement on the board');
		expect(line()).toMatchObject({ title: a.title, area: 'team', asked: 2, advice: 0 });

		expect((await as('sophie', a.id, { type: 'advise', text: 'Premier avis' })).ok).toBe(true);
		expect((await as('sophie', a.id, { type: 'advise', text: 'Manchettes longues' })).ok).toBe(
			true
		);
		expect((await as('camille', a.id, { type: 'advise', text: 'Norme EN 455' })).ok).toBe(true);
		await waitFor(() => line()?.advice === 2, 'two advices on the board (one replaced)');

		const decided = await as('aicha', a.id, {
			type: 'decide',
			text: 'Grossiste du quartier, manchettes longues, norme EN 455',
			howShaped: 'Les manchettes viennent de Sophie, la norme de Camille.'
		});
		expect(decided.ok && decided.advice.stage).toBe('decided');
		await waitFor(() => line()?.stage === 'decided', 'decided on the board');
		expect(line()).toMatchObject({ asked: 2, answered: 2, advice: 2, reviewDate: '2027-03-01' });
		expect(line()?.closedAt).not.toBeNull();

		const [row] = await database.db.select().from(adviceProcess).where(eq(adviceProcess.id, a.id));
		// The announcement and four moves, each an event; the state is their fold.
		expect(row).toMatchObject({ stage: 'decided', revision: 5, deciderId: people.aicha.id });
		expect(row?.closedAt).not.toBeNull();
		expect(row?.state.advice.map((x) => x.text)).toEqual(['Manchettes longues', 'Norme EN 455']);
		const log = await advice.events(database.db, a.id);
		expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
		expect(log.map((e) => e.userId)).toEqual([
			people.aicha.id,
			people.sophie.id,
			people.sophie.id,
			people.camille.id,
			people.aicha.id
		]);
		// The replaced advice stays in the history.
		expect(log[1]?.move).toMatchObject({ type: 'advise', text: 'Premier avis' });
		expect(await advice.read(database.db, { teamId, adviceId: a.id })).toEqual(row?.state);
	});

	it('enforces the same rules as the pure module: no one outside, only the decider decides, sealed stays sealed', async () => {
		const a = await announced();
		expect(await as('outsider', a.id, { type: 'advise', text: 'Fais comme chez nous' })).toEqual({
			ok: false,
			refusal: { kind: 'not-a-member', memberId: people.outsider.id }
		});
		expect(
			await as('camille', a.id, { type: 'decide', text: 'Autre chose', howShaped: 'Mon avis' })
		).toEqual({ ok: false, refusal: { kind: 'not-the-decider' } });
		expect(await as('sophie', a.id, { type: 'withdraw' })).toEqual({
			ok: false,
			refusal: { kind: 'not-the-decider' }
		});
		expect(await as('aicha', a.id, { type: 'decide', text: 'Décidé', howShaped: '   ' })).toEqual({
			ok: false,
			refusal: { kind: 'text-required', field: 'howShaped' }
		});
		expect(await as('camille', a.id, { type: 'advise', text: '' })).toEqual({
			ok: false,
			refusal: { kind: 'text-required', field: 'advice' }
		});
		// Nothing refused left a trace.
		expect(await advice.events(database.db, a.id)).toHaveLength(1);

		expect((await as('aicha', a.id, { type: 'withdraw' })).ok).toBe(true);
		const sealed = await advice.read(database.db, { teamId, adviceId: a.id });
		expect(sealed?.stage).toBe('withdrawn');
		for (const [who, move] of [
			['sophie', { type: 'advise', text: 'Trop tard ?' }],
			['aicha', { type: 'decide', text: 'Finalement oui', howShaped: 'Après réflexion' }],
			['aicha', { type: 'withdraw' }]
		] as const)
			expect(await as(who, a.id, move)).toEqual({
				ok: false,
				refusal: { kind: 'sealed', stage: 'withdrawn' }
			});
		expect(await advice.read(database.db, { teamId, adviceId: a.id })).toEqual(sealed);
		expect(await advice.events(database.db, a.id)).toHaveLength(2);

		// Another team cannot reach it at all.
		expect(
			await advice.move(database.db, mirror, {
				teamId: 'another',
				adviceId: a.id,
				userId: people.aicha.id,
				move: { type: 'withdraw' }
			})
		).toEqual({ ok: false, refusal: { kind: 'not-found' } });
		expect(await advice.read(database.db, { teamId: 'another', adviceId: a.id })).toBeNull();
	});

	it('refuses an announcement that asks nobody in the team, and keeps only members among those asked', async () => {
		expect(
			await announce({ affected: [people.outsider.id, people.aicha.id], experts: [] })
		).toEqual({ ok: false, refusal: { kind: 'nobody-asked' } });
		expect(await announce({ deciderId: people.outsider.id })).toEqual({
			ok: false,
			refusal: { kind: 'not-a-member', memberId: people.outsider.id }
		});
		const out = await announce({ affected: [people.sophie.id, people.outsider.id] });
		expect(out.ok && out.advice.affected).toEqual([people.sophie.id]);
	});

	it('lets someone who joined after the announcement advise, and nobody who left', async () => {
		const a = await announced();
		expect((await as('yanis', a.id, { type: 'advise', text: 'Je découvre' })).ok).toBe(false);
		await join(people.yanis.id);
		expect((await as('yanis', a.id, { type: 'advise', text: 'Bienvenue à moi' })).ok).toBe(true);
		await teams.leave(database.db, { teamId, userId: people.yanis.id });
		expect(await as('yanis', a.id, { type: 'advise', text: 'Encore moi' })).toEqual({
			ok: false,
			refusal: { kind: 'not-a-member', memberId: people.yanis.id }
		});
		// What they said while a member stays on record.
		const kept = await advice.read(database.db, { teamId, adviceId: a.id });
		expect(kept?.advice.map((x) => x.text)).toEqual(['Bienvenue à moi']);
	});

	it('lists advice processes with the decision log’s filters', async () => {
		const other = await announce({ title: 'Horaires du standard', area: 'rota' });
		expect(other.ok).toBe(true);
		const all = await advice.list(database.db, { teamId });
		expect(all.length).toBeGreaterThanOrEqual(2);
		expect(all[0]?.title).toBe('Horaires du standard'); // latest first
		const rota = await advice.list(database.db, { teamId, area: 'rota' });
		expect(rota.map((r) => r.title)).toEqual(['Horaires du standard']);
		expect(
			(await advice.list(database.db, { teamId, stage: 'decided' })).map((r) => r.stage)
		).toEqual(['decided']);
		const gloves = await advice.list(database.db, { teamId, query: 'GANTS' });
		expect(gloves.length).toBeGreaterThan(0);
		expect(gloves.every((r) => r.title === 'Changer de fournisseur de gants')).toBe(true);
		// A search for a wildcard is a search for the character.
		expect(await advice.list(database.db, { teamId, query: '%' })).toEqual([]);
		expect(await advice.list(database.db, { teamId: 'another' })).toEqual([]);
	});
});

describe('the demo advice process', () => {
	it('is decided, with advice from two members and how it shaped the decision, and mirrored', async () => {
		const demo = await seed.demo(database.db);
		const team = demo.teams[0]!;
		await writeDemoAdvice(
			database.db,
			mirror,
			team.id,
			team.members.map((m) => m.id),
			new Date('2026-11-24T10:00:00Z')
		);
		const [only, ...rest] = await advice.list(database.db, { teamId: team.id });
		expect(rest).toEqual([]);
		expect(only?.stage).toBe('decided');
		const a = await advice.read(database.db, { teamId: team.id, adviceId: only!.id });
		expect(a?.advice).toHaveLength(2);
		expect(new Set(a?.advice.map((x) => x.by)).size).toBe(2);
		expect(a?.decision?.howShaped).not.toBe('');
		expect(a?.advice.every((x) => a.affected.includes(x.by) || a.experts.includes(x.by))).toBe(
			true
		);
		// No one is named in what the demo wrote.
		const names = team.members.flatMap((m) => m.name.split(' '));
		const texts = JSON.stringify(
			await database.db.select().from(adviceEvent).where(eq(adviceEvent.adviceId, only!.id))
		);
		for (const name of names) expect(texts, name).not.toContain(name);
		const mirrored = await collab.read(`team/${team.id}/governance`, (doc) =>
			doc.getMap('advice').get(only!.id)
		);
		expect(mirrored).toMatchObject({ stage: 'decided', asked: 4, answered: 2, advice: 2 });
	});
});
