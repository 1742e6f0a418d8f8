import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/lib/collab/caseload';
import { addCard, cardsOf, readCards, setField, setState } from '../../src/lib/collab/kaizen';
import { KAIZEN_LIMITS } from '../../src/lib/domain/kaizen';
import { adviceMirror, governanceMirror } from '../../src/lib/server/collab/governance';
import type { CollabServer } from '../../src/lib/server/collab/server';
import { coaching } from '../../src/lib/server/db/schema';
import * as advice from '../../src/lib/server/governance/advice';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as kaizen from '../../src/lib/server/kaizen/kaizen';
import * as standards from '../../src/lib/server/kaizen/standards';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, upgradeStatus, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// The kaizen board and care standards on a real database, with a real collab server and stock
// y-websocket clients: the server refuses a card over its limits, adoption and standard versions
// follow real consent decisions, a lesson holding a client's name is refused, another team copies
// a clean one, and a coach reads lessons but never the board.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let collab: CollabServer;
let mirror: decisions.Mirror;
let teamA: string;
let teamB: string;
const people = {} as Record<
	'aicha' | 'camille' | 'bruno' | 'claire',
	{ id: string; token: string }
>;
const clients: Client[] = [];
const day = (offset: number) =>
	new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function consentAll(decisionId: string, teamId: string, who: string[], proposer: string) {
	const as = (userId: string, move: Parameters<typeof decisions.move>[2]['move']) =>
		decisions.move(database.db, mirror, { teamId, decisionId, userId, move });
	expect((await as(proposer, { type: 'open-round' })).ok).toBe(true);
	for (const id of who)
		expect((await as(id, { type: 'answer', version: 1, kind: 'consent', reason: '' })).ok).toBe(
			true
		);
}

beforeAll(async () => {
	database = await createTestDatabase();
	people.aicha = await personWithSession(database.db, 'Aïcha Benali', 'aicha@example.org');
	people.camille = await personWithSession(database.db, 'Camille Lefèvre', 'camille@example.org');
	people.bruno = await personWithSession(database.db, 'Bruno Caron', 'bruno@example.org');
	people.claire = await personWithSession(database.db, 'Claire Morel', 'claire@example.org');
	teamA = await teams.create(database.db, {
		name: 'Croix-Rousse',
		creatorId: people.aicha.id,
		...nurse
	});
	teamB = await teams.create(database.db, {
		name: 'Villeurbanne',
		creatorId: people.bruno.id,
		...nurse
	});
	const { token } = await invitations.create(database.db, {
		teamId: teamA,
		kind: 'member',
		createdBy: people.aicha.id
	});
	await invitations.accept(database.db, { token, userId: people.camille.id, profile: nurse });
	// Claire follows team A as its coach (how a team grants that is tested in team-changes.test.ts).
	await database.db
		.insert(coaching)
		.values({ teamId: teamA, userId: people.claire.id, status: 'active' });
	harness = await startCollab(database.db);
	collab = harness.collab;
	mirror = governanceMirror(collab);
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

describe('the kaizen board document', () => {
	it('keeps a card within its limits and refuses (1008) one over them, storing nothing of it', async () => {
		const name = `team/${teamA}/kaizen`;
		const writer = openDocument(harness.origin, name, people.aicha.token);
		const reader = openDocument(harness.origin, name, people.camille.token);
		clients.push(writer, reader);
		await Promise.all([writer.synced, reader.synced]);

		// Control: a card of the right size reaches the colleague and the store.
		addCard(writer.doc, 'ok-card', {
			title: 'Chutes au lever',
			what: 'x'.repeat(KAIZEN_LIMITS.text)
		});
		await waitFor(() => readCards(reader.doc).some((c) => c.id === 'ok-card'), 'the card');
		expect(await collab.read(name, (doc) => readCards(doc).map((c) => c.id))).toEqual(['ok-card']);

		const closes: number[] = [];
		writer.provider.on('connection-close', (event) => {
			if (event !== null) closes.push(event.code);
		});
		setField(writer.doc, 'ok-card', 'what', 'x'.repeat(KAIZEN_LIMITS.text + 1));
		await waitFor(() => closes.includes(1008), 'the refusal');
		writer.provider.disconnect();
		const stored = await collab.read(name, (doc) => cardsOf(doc).get('ok-card')?.get('what'));
		expect(stored?.length).toBe(KAIZEN_LIMITS.text);
		expect(readCards(reader.doc)[0]!.what.length).toBe(KAIZEN_LIMITS.text);
		expect(harness.collab.stats.refusedContent).toBeGreaterThan(0);

		// A field the schema does not know, or a state no member may set, is refused the same way.
		const other = openDocument(harness.origin, name, people.camille.token);
		clients.push(other);
		await other.synced;
		const otherCloses: number[] = [];
		other.provider.on('connection-close', (e) => e !== null && otherCloses.push(e.code));
		cardsOf(other.doc).get('ok-card')!.set('state', 'adopted');
		await waitFor(() => otherCloses.includes(1008), 'the refusal of a forged state');
		other.provider.disconnect();
		expect(await collab.read(name, (doc) => cardsOf(doc).get('ok-card')?.get('state'))).toBe(
			'open'
		);
	});

	it('never opens to a coach or another team', async () => {
		const url = `${harness.origin.replace('http', 'ws')}/collab/team/${teamA}/kaizen`;
		for (const who of [people.claire, people.bruno]) {
			const result = await upgradeStatus(url, {
				origin: harness.origin,
				cookie: `session=${who.token}`
			});
			expect(result).toEqual({ status: 403, messages: 0 });
		}
		const own = await upgradeStatus(url, {
			origin: harness.origin,
			cookie: `session=${people.aicha.token}`
		});
		expect(own.status).toBe(101);
	});
});

describe('adopting a countermeasure', () => {
	const cardId = 'card-adopt';
	const propose = () =>
		kaizen.proposeAdoption(database.db, mirror, collab, {
			teamId: teamA,
			userId: people.aicha.id,
			cardId,
			title: 'Lever accompagné le matin',
			driver: 'Trois chutes au lever en un mois',
			text: 'Nous accompagnons le lever des personnes à risque.',
			reviewDate: day(180),
			meetingId: null,
			deadline: new Date(Date.now() + 7 * 86_400_000).toISOString()
		});

	it('is refused before the countermeasure was tested and its result recorded', async () => {
		await collab.change(`team/${teamA}/kaizen`, (doc) =>
			addCard(doc, cardId, {
				title: 'Chutes au lever',
				what: 'Trois chutes',
				test: 'Lever à deux',
				checkOn: day(-1)
			})
		);
		expect(await propose()).toEqual({ ok: false, reason: 'not-testing' });
		await collab.change(`team/${teamA}/kaizen`, (doc) => setState(doc, cardId, 'testing'));
		expect(await propose()).toEqual({ ok: false, reason: 'result-required' });
	});

	it('goes through the team’s consent: proposed, then adopted once everyone consents', async () => {
		await collab.change(`team/${teamA}/kaizen`, (doc) =>
			setField(doc, cardId, 'result', 'Aucune chute en trois semaines')
		);
		const out = await propose();
		expect(out.ok).toBe(true);
		if (!out.ok) return;
		const shown = async () =>
			(await kaizen.board(database.db, collab, teamA)).find((c) => c.id === cardId)?.shown;
		expect(await shown()).toBe('proposed');
		expect(await propose()).toEqual({ ok: false, reason: 'adopted' });
		await consentAll(out.decision.id, teamA, [people.aicha.id, people.camille.id], people.aicha.id);
		expect(await shown()).toBe('adopted');
		// The card in the document still says what its members wrote: only the decision adopts.
		expect(
			await collab.read(`team/${teamA}/kaizen`, (doc) => cardsOf(doc).get(cardId)?.get('state'))
		).toBe('testing');
	});
});

describe('shared lessons', () => {
	let lessonId = '';

	it('refuses a lesson naming a client of the team, in full or by family name', async () => {
		await collab.change(`team/${teamA}/caseload`, (doc) =>
			addClient(doc, 'c1', {
				name: 'Mme Josette Perrin',
				address: '12 rue Dumenge, Lyon',
				sector: 'Nord',
				contacts: [{ kind: 'family', name: 'Luc Perrin', phone: '06 11 22 33 44' } as never]
			})
		);
		const publish = (text: string) =>
			kaizen.publishLesson(database.db, collab, {
				teamId: teamA,
				userId: people.aicha.id,
				cardId: 'card-adopt',
				title: 'Lever accompagné',
				text
			});
		expect(await publish('Chez mme josette perrin, on se lève à deux.')).toEqual({
			ok: false,
			reason: 'client-data',
			found: expect.arrayContaining(['Mme Josette Perrin'])
		});
		expect(await publish('Comme chez Perrin, lever à deux.')).toMatchObject({
			ok: false,
			found: ['Perrin']
		});
		expect(await publish('Appeler le 06 11 22 33 44 en cas de doute.')).toMatchObject({
			ok: false,
			found: ['06 11 22 33 44']
		});
		const clean = await publish('Le lever à deux pour les personnes à risque a évité les chutes.');
		expect(clean.ok).toBe(true);
		if (clean.ok) lessonId = clean.id;
	});

	it('lets another team copy the lesson as a card of its own, never the publishing team', async () => {
		expect(await kaizen.copyLesson(database.db, collab, { teamId: teamA, lessonId })).toEqual({
			ok: false,
			reason: 'no-lesson'
		});
		const lessons = await kaizen.lessonsForTeam(database.db, teamB);
		expect(lessons.map((l) => [l.title, l.teamName, l.own])).toEqual([
			['Lever accompagné', 'Croix-Rousse', false]
		]);
		const copied = await kaizen.copyLesson(database.db, collab, { teamId: teamB, lessonId });
		expect(copied.ok).toBe(true);
		const cards = await collab.read(`team/${teamB}/kaizen`, readCards);
		expect(cards).toHaveLength(1);
		expect(cards[0]).toMatchObject({
			title: 'Lever accompagné',
			state: 'open',
			fromLesson: lessonId,
			countermeasures: 'Le lever à deux pour les personnes à risque a évité les chutes.'
		});
	});

	it('shows the coach the lessons of the teams they follow, with no client data', async () => {
		const { db } = database;
		const seen = await kaizen.lessonsForCoach(db, people.claire.id);
		expect(seen.map((l) => l.title)).toEqual(['Lever accompagné']);
		const text = JSON.stringify(seen);
		for (const secret of ['Josette', 'Perrin', 'Dumenge', '06 11 22 33 44'])
			expect(text).not.toContain(secret);
		// A coach of no team reads none.
		expect(await kaizen.lessonsForCoach(db, people.bruno.id)).toEqual([]);
	});
});

describe('care standards', () => {
	const content = (title: string, step: string) => ({
		title,
		appliesWhen: 'Toute personne alitée plus de deux heures',
		steps: [step, 'Noter dans le cahier de liaison'],
		materials: ['Coussin de positionnement'],
		safety: ['Ne jamais masser une rougeur'],
		whoToCall: 'L’infirmière coordinatrice'
	});
	const proposeVersion = (
		standardId: string | null,
		via: 'consent' | 'advice',
		title: string,
		step: string
	) =>
		standards.proposeVersion(
			database.db,
			{ decision: mirror, advice: adviceMirror(collab) },
			collab,
			{
				teamId: teamA,
				userId: people.aicha.id,
				standardId,
				content: content(title, step),
				via,
				decisionTitle: `Standard : ${title}`,
				driver: 'Prévenir les escarres',
				text: step,
				reviewDate: day(365),
				meetingId: null,
				deadline: new Date(Date.now() + 7 * 86_400_000).toISOString()
			}
		);

	it('makes a version current only once its decision is adopted, and keeps the others', async () => {
		const first = await proposeVersion(
			null,
			'consent',
			'Prévention des escarres',
			'Changer de position toutes les 3 h'
		);
		expect(first.ok).toBe(true);
		if (!first.ok) return;
		const read = async () => (await standards.get(database.db, teamA, first.standardId))!;
		expect((await read()).current).toBeNull();
		expect((await read()).versions.map((v) => [v.number, v.status])).toEqual([[1, 'proposed']]);
		await consentAll(
			first.decisionId,
			teamA,
			[people.aicha.id, people.camille.id],
			people.aicha.id
		);
		expect((await read()).current?.number).toBe(1);

		const second = await proposeVersion(
			first.standardId,
			'consent',
			'Prévention des escarres',
			'Changer de position toutes les 2 h'
		);
		expect(second.ok).toBe(true);
		if (!second.ok) return;
		expect((await read()).current?.content.steps[0]).toBe('Changer de position toutes les 3 h');
		expect((await read()).versions.map((v) => [v.number, v.status])).toEqual([
			[2, 'proposed'],
			[1, 'current']
		]);
		await consentAll(
			second.decisionId,
			teamA,
			[people.aicha.id, people.camille.id],
			people.aicha.id
		);
		expect((await read()).versions.map((v) => [v.number, v.status])).toEqual([
			[2, 'current'],
			[1, 'earlier']
		]);

		// The advice process: current once the proposer decides, after asking the others.
		const third = await proposeVersion(
			first.standardId,
			'advice',
			'Prévention des escarres',
			'Matelas à air dès le risque élevé'
		);
		expect(third.ok).toBe(true);
		if (!third.ok) return;
		expect((await read()).current?.number).toBe(2);
		const advised = await advice.move(database.db, adviceMirror(collab), {
			teamId: teamA,
			adviceId: third.decisionId,
			userId: people.camille.id,
			move: { type: 'advise', text: 'Oui, avec le kiné' }
		});
		expect(advised.ok).toBe(true);
		const decided = await advice.move(database.db, adviceMirror(collab), {
			teamId: teamA,
			adviceId: third.decisionId,
			userId: people.aicha.id,
			move: { type: 'decide', text: 'Adopté', howShaped: 'Avec le kiné' }
		});
		expect(decided.ok).toBe(true);
		expect((await read()).versions.map((v) => [v.number, v.status])).toEqual([
			[3, 'current'],
			[2, 'earlier'],
			[1, 'earlier']
		]);
	});

	it('refuses a change to another team’s standard', async () => {
		const theirs = await standards.list(database.db, teamB);
		expect(theirs).toEqual([]);
		const mine = (await standards.list(database.db, teamA))[0]!;
		const out = await standards.proposeVersion(
			database.db,
			{ decision: mirror, advice: adviceMirror(collab) },
			collab,
			{
				teamId: teamB,
				userId: people.bruno.id,
				standardId: mine.id,
				content: content('X', 'Y'),
				via: 'consent',
				decisionTitle: 'X',
				driver: 'X',
				text: 'Y',
				reviewDate: day(365),
				meetingId: null,
				deadline: new Date(Date.now() + 86_400_000).toISOString()
			}
		);
		expect(out).toEqual({ ok: false, reason: 'no-standard' });
	});
});

describe('a card proposes a care standard', () => {
	const cardId = 'card-standard';
	const propose = () =>
		kaizen.proposeStandard(
			database.db,
			{ decision: mirror, advice: adviceMirror(collab) },
			collab,
			{
				teamId: teamA,
				userId: people.camille.id,
				cardId,
				content: {
					title: 'Pansement du soir',
					appliesWhen: 'Toute plaie chronique pansée le soir',
					steps: ['Préparer le set la veille', 'Photographier la plaie chaque lundi'],
					materials: [],
					safety: [],
					whoToCall: ''
				},
				decisionTitle: 'Standard de soin : Pansement du soir',
				driver: 'Des pansements refaits deux fois par oubli du matériel',
				text: '1. Préparer le set la veille',
				reviewDate: day(365),
				meetingId: null,
				deadline: new Date(Date.now() + 7 * 86_400_000).toISOString()
			}
		);
	const shown = async () =>
		(await kaizen.board(database.db, collab, teamA)).find((c) => c.id === cardId)?.shown;

	it('is refused, and makes no standard, before the card’s result is recorded', async () => {
		const before = (await standards.list(database.db, teamA)).length;
		expect(await propose()).toEqual({ ok: false, reason: 'no-card' });
		await collab.change(`team/${teamA}/kaizen`, (doc) =>
			addCard(doc, cardId, {
				title: 'Matériel de pansement oublié',
				what: 'Deux pansements refaits faute de matériel',
				test: 'Préparer le set la veille',
				checkOn: day(-1),
				state: 'testing'
			})
		);
		expect(await propose()).toEqual({ ok: false, reason: 'result-required' });
		expect((await standards.list(database.db, teamA)).length).toBe(before);
	});

	it('adopts the standard and the card with one consent decision', async () => {
		await collab.change(`team/${teamA}/kaizen`, (doc) =>
			setField(doc, cardId, 'result', 'Plus aucun pansement refait en trois semaines')
		);
		const out = await propose();
		expect(out.ok).toBe(true);
		if (!out.ok) return;
		const read = async () => (await standards.get(database.db, teamA, out.standardId))!;
		expect(await shown()).toBe('proposed');
		expect((await read()).current).toBeNull();
		expect((await read()).versions.map((v) => [v.number, v.status])).toEqual([[1, 'proposed']]);
		expect((await kaizen.adoptions(database.db, teamA)).get(cardId)).toMatchObject({
			decisionId: out.decisionId,
			standardId: out.standardId
		});
		expect(await propose()).toEqual({ ok: false, reason: 'adopted' });

		await consentAll(
			out.decisionId,
			teamA,
			[people.aicha.id, people.camille.id],
			people.camille.id
		);
		expect(await shown()).toBe('adopted');
		expect((await read()).current?.content.title).toBe('Pansement du soir');
		expect(await standards.titles(database.db, teamA)).toContainEqual({
			id: out.standardId,
			title: 'Pansement du soir'
		});
	});
});
