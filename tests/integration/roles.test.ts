import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as roles from '../../src/lib/server/governance/roles';
import { writeDemoRoles } from '../../src/lib/server/seed/roles';
import * as teams from '../../src/lib/server/teams/teams';
import { createTestDatabase } from '../helpers/database';
import { formTeam } from '../helpers/team';
import { personWithSession } from '../helpers/collab-harness';

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
const TODAY = '2026-11-24';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let teamId: string;
const people = {} as Record<'aicha' | 'camille' | 'sophie' | 'outsider', { id: string }>;

beforeAll(async () => {
	database = await createTestDatabase();
	people.aicha = await personWithSession(database.db, 'Aïcha Benali', 'aicha@example.org');
	people.camille = await personWithSession(database.db, 'Camille Lefèvre', 'camille@example.org');
	people.sophie = await personWithSession(database.db, 'Sophie Garnier', 'sophie@example.org');
	people.outsider = await personWithSession(database.db, 'Olivier Dupont', 'olivier@example.org');
	teamId = await formTeam(database.db, people.aicha, [people.camille, people.sophie]);
});

afterAll(async () => {
	await database?.dispose();
});

describe('roles and elections on the server', () => {
	it('offers Buurtzorg’s roles once, and shows essential roles without holder', async () => {
		expect(await roles.addTemplates(database.db, teamId)).toBe(8);
		expect(await roles.addTemplates(database.db, teamId)).toBe(0);
		const { roles: list, signals } = await roles.overview(database.db, teamId, TODAY);
		expect(list).toHaveLength(8);
		expect(signals.filter((s) => s.kind === 'essential-empty').length).toBe(
			list.filter((r) => r.essential).length
		);
	});

	it('elects a planner by nominations, a change round and consent, and gives them the role for one term', async () => {
		const planner = (await roles.overview(database.db, teamId, TODAY)).roles.find((r) =>
			r.name.startsWith('Planificat')
		)!;
		const electionId = (await roles.startElection(database.db, {
			teamId,
			roleId: planner.id,
			convenerId: people.aicha.id
		}))!;
		const as = (who: keyof typeof people, move: Parameters<typeof roles.electionMove>[1]['move']) =>
			roles.electionMove(database.db, {
				teamId,
				electionId,
				userId: people[who].id,
				move,
				today: TODAY
			});
		expect(
			(
				await as('aicha', {
					type: 'nominate',
					nominee: people.camille.id,
					reason: 'Elle connaît les tournées'
				})
			).ok
		).toBe(true);
		expect(
			(await as('sophie', { type: 'nominate', nominee: people.sophie.id, reason: 'J’ai envie' })).ok
		).toBe(true);
		expect(
			await as('outsider', { type: 'nominate', nominee: people.aicha.id, reason: 'x' })
		).toEqual({ ok: false, reason: 'not-a-participant' });
		expect(await as('camille', { type: 'open-changes' })).toEqual({
			ok: false,
			reason: 'not-the-convener'
		});
		await as('aicha', { type: 'open-changes' });
		await as('sophie', {
			type: 'change',
			nominee: people.camille.id,
			reason: 'Après réflexion, Camille'
		});
		await as('aicha', { type: 'propose', nominee: people.camille.id });
		await as('aicha', { type: 'answer', kind: 'consent', reason: '' });
		await as('sophie', { type: 'answer', kind: 'consent', reason: '' });
		const done = await as('camille', { type: 'answer', kind: 'consent', reason: '' });
		expect(done.ok && done.election.stage).toBe('elected');
		const after = (await roles.overview(database.db, teamId, TODAY)).roles.find(
			(r) => r.id === planner.id
		)!;
		expect(after.holders).toMatchObject([
			{ memberId: people.camille.id, from: TODAY, until: '2027-05-23' }
		]);
		expect(await as('sophie', { type: 'cancel' })).toEqual({ ok: false, reason: 'sealed' });
		expect(
			await roles.electionMove(database.db, {
				teamId: 'another',
				electionId,
				userId: people.aicha.id,
				move: { type: 'cancel' },
				today: TODAY
			})
		).toEqual({ ok: false, reason: 'not-found' });
	});

	it('gives the demo team its roles, with the planner’s term ended and no one after', async () => {
		const demoTeam = await teams.create(database.db, {
			name: 'Équipe Démo',
			creatorId: people.sophie.id,
			...nurse
		});
		await writeDemoRoles(database.db, demoTeam, [people.sophie.id], TODAY);
		const { signals } = await roles.overview(database.db, demoTeam, TODAY);
		expect(signals.map((s) => s.kind)).toEqual(
			expect.arrayContaining(['term-ended', 'essential-empty', 'too-many-roles'])
		);
	});
});
