import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addClient, addTransmission, clientsOf } from '../../src/lib/collab/caseload';
import { putShift, putVisit, readWeek } from '../../src/lib/collab/rota';
import { todayIn } from '../../src/lib/domain/time-zone';
import { governanceMirror } from '../../src/lib/server/collab/governance';
import { Projections } from '../../src/lib/server/collab/projections';
import { client, role, roleAssignment, team } from '../../src/lib/server/db/schema';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as roles from '../../src/lib/server/governance/roles';
import * as rules from '../../src/lib/server/governance/rules';
import * as teamChanges from '../../src/lib/server/governance/team-changes';
import { afterSplitAdopted, completeSplit } from '../../src/lib/server/teams/split';
import * as teams from '../../src/lib/server/teams/teams';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { openDocument, upgradeStatus, waitFor, type Client } from '../helpers/collab-client';
import { createTestDatabase } from '../helpers/database';
import { teamOf as formTeamOf } from '../helpers/team';
import { addDays, DAY_MS, weekOf } from '../../src/lib/domain/week';

// Team changes as decisions, on a real database with the real collab server mirroring them:
// nothing happens to the team until the decision is adopted, and then the server does it.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let mirror: decisions.Mirror;
const clients: Client[] = [];

beforeAll(async () => {
	database = await createTestDatabase();
	harness = await startCollab(database.db);
	mirror = governanceMirror(harness.collab);
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

let n = 0;
const teamOf = (size: number) => formTeamOf(database.db, size);

async function everyoneConsents(
	teamId: string,
	decisionId: string,
	ids: string[],
	using: decisions.Mirror = mirror
) {
	const d = await decisions.read(database.db, using, { teamId, decisionId });
	if (d!.stage !== 'round')
		await decisions.move(database.db, using, {
			teamId,
			decisionId,
			userId: d!.proposerId,
			move: { type: 'open-round' }
		});
	let last = null;
	for (const id of ids) {
		last = await decisions.move(database.db, using, {
			teamId,
			decisionId,
			userId: id,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' }
		});
	}
	return last;
}

const base = (teamId: string, proposerId: string) => ({
	teamId,
	proposerId,
	title: 'Changement',
	driver: 'Parce que',
	text: 'Changement',
	reviewDate: '2027-06-01',
	mode: 'async' as const,
	deadline: new Date(Date.now() + 7 * DAY_MS).toISOString()
});

describe('team changes as decisions', () => {
	it('gives a coach access only once the team adopts it, and takes it back the same way', async () => {
		const { teamId, people } = await teamOf(3);
		const coach = await personWithSession(database.db, 'Claire Coach', `coach${++n}@example.org`);
		const link = await invitations.create(database.db, {
			teamId,
			kind: 'coach',
			createdBy: people[1]!.id
		});
		const accepted = await invitations.accept(database.db, {
			token: link.token,
			userId: coach.id,
			profile: null
		});
		expect(accepted).toMatchObject({ ok: true, kind: 'coach', invitedBy: people[1]!.id });
		const d = await teamChanges.proposeCoachAccess(database.db, mirror, {
			teamId,
			coachId: coach.id,
			invitedBy: people[1]!.id,
			title: 'Accès coach',
			driver: 'Invitée',
			text: 'Accès coach'
		});
		expect(d?.proposerId).toBe(people[1]!.id);
		expect(d?.change).toEqual({ kind: 'grant-coach', coachId: coach.id });
		expect(await teams.access(database.db, coach.id, teamId)).toBeNull();

		// Two of three consent: still waiting.
		await everyoneConsents(teamId, d!.id, [people[0]!.id, people[1]!.id]);
		expect(await teams.access(database.db, coach.id, teamId)).toBeNull();
		const adopted = await everyoneConsents(teamId, d!.id, [people[2]!.id]);
		expect(adopted).toMatchObject({ ok: true, decision: { stage: 'adopted' } });
		expect((await teams.access(database.db, coach.id, teamId))?.kind).toBe('coach');
		const events = await decisions.events(database.db, d!.id);
		expect(events.at(-1)?.move).toEqual({ type: 'carried-out', done: true });

		const revoke = await teamChanges.propose(database.db, mirror, {
			...base(teamId, people[2]!.id),
			change: { kind: 'revoke-coach', coachId: coach.id }
		});
		expect(revoke.ok).toBe(true);
		if (!revoke.ok) return;
		expect((await teams.access(database.db, coach.id, teamId))?.kind).toBe('coach');
		await everyoneConsents(
			teamId,
			revoke.decision.id,
			people.map((p) => p.id)
		);
		expect(await teams.access(database.db, coach.id, teamId)).toBeNull();
		expect((await teams.listForUser(database.db, coach.id)).coach).toEqual([]);
	});

	it('does not remove a member while an objection stands, and does once it is withdrawn', async () => {
		const { teamId, people } = await teamOf(3);
		const [a, b, c] = people.map((p) => p.id) as [string, string, string];
		const proposed = await teamChanges.propose(database.db, mirror, {
			...base(teamId, a),
			change: { kind: 'remove-member', memberId: c }
		});
		if (!proposed.ok) throw new Error(proposed.reason);
		const decisionId = proposed.decision.id;
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: a,
			move: { type: 'open-round' }
		});
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: b,
			move: {
				type: 'answer',
				version: 1,
				kind: 'objection',
				reason: 'On n’en a pas parlé avec elle.'
			}
		});
		await everyoneConsents(teamId, decisionId, [a, c]);
		expect((await teams.members(database.db, teamId)).map((p) => p.userId)).toContain(c);
		const done = await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: b,
			move: { type: 'withdraw-objection', version: 1 }
		});
		expect(done).toMatchObject({ ok: true, decision: { stage: 'adopted' } });
		expect((await teams.members(database.db, teamId)).map((p) => p.userId)).not.toContain(c);
		expect(await teams.access(database.db, c, teamId)).toBeNull();
	});

	it('refuses a change the team cannot make, when proposed and again when adopted', async () => {
		const { teamId, people } = await teamOf(2);
		const [a, b] = people.map((p) => p.id) as [string, string];
		const outsider = await personWithSession(database.db, 'Dehors', `out${++n}@example.org`);
		expect(
			await teamChanges.propose(database.db, mirror, {
				...base(teamId, a),
				change: { kind: 'remove-member', memberId: outsider.id }
			})
		).toEqual({ ok: false, reason: 'not-a-member' });
		expect(
			await teamChanges.propose(database.db, mirror, {
				...base(teamId, a),
				change: { kind: 'grant-coach', coachId: outsider.id }
			})
		).toEqual({ ok: false, reason: 'not-a-pending-coach' });
		expect(
			await teamChanges.propose(database.db, mirror, {
				...base(teamId, a),
				change: {
					kind: 'rule',
					rule: { key: 'swapNotice', value: { kind: 'before', minutes: 72 * 60 } }
				}
			})
		).toEqual({ ok: false, reason: 'rule-out-of-range' });

		// b is to be removed, but leaves on their own first: adopted, not carried out, and said so.
		const proposed = await teamChanges.propose(database.db, mirror, {
			...base(teamId, a),
			change: { kind: 'remove-member', memberId: b }
		});
		if (!proposed.ok) throw new Error(proposed.reason);
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId: proposed.decision.id,
			userId: a,
			move: { type: 'open-round' }
		});
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId: proposed.decision.id,
			userId: b,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' }
		});
		await teams.leave(database.db, { teamId, userId: b });
		const last = await decisions.move(database.db, mirror, {
			teamId,
			decisionId: proposed.decision.id,
			userId: a,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' }
		});
		expect(last).toMatchObject({ ok: true, decision: { stage: 'adopted' } });
		const events = await decisions.events(database.db, proposed.decision.id);
		expect(events.at(-1)?.move).toEqual({
			type: 'carried-out',
			done: false,
			reason: 'not-a-member'
		});
	});

	it('sets the team’s swap notice by decision, and the governance document shows the adoption', async () => {
		const { teamId, people } = await teamOf(1);
		const proposed = await teamChanges.propose(database.db, mirror, {
			...base(teamId, people[0]!.id),
			change: {
				kind: 'rule',
				rule: { key: 'swapNotice', value: { kind: 'before', minutes: 6 * 60 } }
			}
		});
		if (!proposed.ok) throw new Error(proposed.reason);
		await everyoneConsents(teamId, proposed.decision.id, [people[0]!.id]);
		expect((await rules.current(database.db, teamId)).swapNotice).toEqual({
			kind: 'before',
			minutes: 360
		});
		const reader = openDocument(harness.origin, `team/${teamId}/governance`, people[0]!.token);
		clients.push(reader);
		await waitFor(
			() =>
				(reader.doc.getMap('decisions').get(proposed.decision.id) as { stage?: string } | undefined)
					?.stage === 'adopted',
			'the adopted change in the governance document'
		);
		expect(reader.doc.getMap('decisions').get(proposed.decision.id)).toMatchObject({
			stage: 'adopted'
		});
	});
});

describe('splitting a team past 12 members', () => {
	const today = todayIn();
	const caseload = (teamId: string) => `team/${teamId}/caseload`;
	const rota = (teamId: string, date: string) => `team/${teamId}/rota/${weekOf(date)}`;
	const visit = (id: string, clientId: string, date: string, carerId: string | null) => ({
		id,
		clientId,
		date,
		start: 8 * 60,
		minutes: 30,
		carerId,
		qualification: 'any' as const,
		changedAt: null
	});

	it('moves the chosen members and the sectors’ cards to the new team, once', async () => {
		const { teamId, people } = await teamOf(13);
		const ids = people.map((p) => p.id);
		const movers = ids.slice(7);
		const [stayer, mover] = [ids[0]!, movers[0]!];
		await teams.updateProfile(database.db, {
			teamId,
			userId: mover,
			profession: 'care_aide',
			contractMinutes: 1400,
			employment: 'self_employed'
		});
		const projection = new Projections(database.db, harness.collab);
		const splitMirror = governanceMirror(
			harness.collab,
			afterSplitAdopted(database.db, { collab: harness.collab, projection })
		);

		// Cards in two sectors, with everything a card can hold; absences of a mover and a stayer.
		await harness.collab.change(caseload(teamId), (doc) => {
			for (const [id, sector] of [
				['nord1', 'Nord'],
				['nord2', 'Nord'],
				['sud1', 'Sud']
			] as const)
				addClient(doc, id, {
					name: `Personne ${id}`,
					address: `1 rue du ${sector}`,
					sector,
					primaryCarerId: mover,
					needs: 'Toilette',
					visitPattern: [{ weekday: 1, start: 480, minutes: 30, qualification: 'any' }],
					carePlan: `Plan de soins de ${id}`,
					contacts: [{ kind: 'family', name: 'Fille', phone: '06 00 00 00 00', note: '' }],
					refusedCarerIds: [stayer],
					firstVisit: { date: today, nurseOnly: true, twoCarers: false },
					omaha: [{ code: '35', addedAt: today, ratings: [] }]
				});
			const plan = clientsOf(doc).get('nord1')!.get('carePlan') as Y.Text;
			plan.format(0, 4, { bold: true });
			(clientsOf(doc).get('nord1')!.get('notes') as Y.Text).insert(0, 'Clés chez la voisine');
			addTransmission(doc, 'nord1', {
				authorId: stayer,
				authorName: 'Membre',
				text: 'RAS ce matin'
			});
		});
		await harness.collab.change(`team/${teamId}/board`, (doc) => {
			const absences = doc.getMap('absences');
			absences.set('away-mover', {
				memberId: mover,
				kind: 'leave',
				from: today,
				to: today,
				note: ''
			});
			absences.set('away-stayer', {
				memberId: stayer,
				kind: 'leave',
				from: today,
				to: today,
				note: ''
			});
		});
		const before = await harness.collab.read(caseload(teamId), (doc) =>
			clientsOf(doc).get('nord1')!.toJSON()
		);
		// Rota: last week stays as it was; next week drops the moved clients and the movers.
		const lastWeek = addDays(today, -7);
		const nextWeek = addDays(today, 7);
		await harness.collab.change(rota(teamId, lastWeek), (doc) =>
			putVisit(doc, visit('past', 'nord1', lastWeek, mover))
		);
		await harness.collab.change(rota(teamId, nextWeek), (doc) => {
			putVisit(doc, visit('v-nord', 'nord1', nextWeek, stayer));
			putVisit(doc, visit('v-sud', 'sud1', nextWeek, mover));
			putVisit(doc, visit('v-sud-2', 'sud1', nextWeek, stayer));
			putShift(doc, {
				id: 's-mover',
				memberId: mover,
				kind: 'office',
				date: nextWeek,
				start: 840,
				minutes: 60,
				changedAt: null
			});
		});
		await projection.refreshCaseload(teamId);
		// A role the mover holds here ends with the split.
		await roles.addTemplates(database.db, teamId);
		const [planner] = await database.db.select().from(role).where(eq(role.teamId, teamId)).limit(1);
		await roles.assign(database.db, {
			roleId: planner!.id,
			memberId: mover,
			from: addDays(today, -30),
			termMonths: 12
		});

		const refused = await teamChanges.propose(database.db, splitMirror, {
			...base(teamId, stayer),
			change: { kind: 'split', name: 'Nord', memberIds: movers, sectors: ['Ouest'] }
		});
		expect(refused).toEqual({ ok: false, reason: 'unknown-sector' });
		const proposed = await teamChanges.propose(database.db, splitMirror, {
			...base(teamId, stayer),
			change: { kind: 'split', name: ' Équipe Nord ', memberIds: movers, sectors: ['Nord'] }
		});
		if (!proposed.ok) throw new Error(proposed.reason);
		// Until it is adopted, nothing moves.
		await everyoneConsents(teamId, proposed.decision.id, ids.slice(0, 12), splitMirror);
		expect((await teams.members(database.db, teamId)).length).toBe(13);
		const adopted = await everyoneConsents(
			teamId,
			proposed.decision.id,
			ids.slice(12),
			splitMirror
		);
		expect(adopted).toMatchObject({ ok: true, decision: { stage: 'adopted' } });

		const events = await decisions.events(database.db, proposed.decision.id);
		const carried = events.find((e) => (e.move as { type: string }).type === 'carried-out')!
			.move as {
			done: boolean;
			teamId: string;
		};
		expect(carried.done).toBe(true);
		const newTeamId = carried.teamId;
		expect(events.at(-1)?.move).toEqual({
			type: 'split-moved',
			teamId: newTeamId,
			clients: 2,
			absences: 1
		});
		const [made] = await database.db.select().from(team).where(eq(team.id, newTeamId));
		expect(made).toMatchObject({ name: 'Équipe Nord', splitFrom: teamId });

		// The movers belong to the new team only, as they were; the others stay.
		expect((await teams.listForUser(database.db, mover)).member.map((t) => t.id)).toEqual([
			newTeamId
		]);
		expect((await teams.listForUser(database.db, stayer)).member.map((t) => t.id)).toEqual([
			teamId
		]);
		expect((await teams.members(database.db, newTeamId)).map((p) => p.userId).sort()).toEqual(
			[...movers].sort()
		);
		expect((await teams.members(database.db, teamId)).map((p) => p.userId).sort()).toEqual(
			ids.slice(0, 7).sort()
		);
		expect(
			(await teams.members(database.db, newTeamId)).find((p) => p.userId === mover)
		).toMatchObject({
			profession: 'care_aide',
			contractMinutes: 1400,
			employment: 'self_employed'
		});
		const [held] = await database.db
			.select({ endedOn: roleAssignment.endedOn })
			.from(roleAssignment)
			.where(and(eq(roleAssignment.roleId, planner!.id), eq(roleAssignment.memberId, mover)));
		expect(held?.endedOn).toBe(today);

		// Each side reads its caseload with the stock provider: the Nord cards went, whole.
		const arrived = openDocument(harness.origin, caseload(newTeamId), people[7]!.token);
		const stayed = openDocument(harness.origin, caseload(teamId), people[0]!.token);
		clients.push(arrived, stayed);
		await Promise.all([arrived.synced, stayed.synced]);
		expect([...clientsOf(arrived.doc).keys()].sort()).toEqual(['nord1', 'nord2']);
		expect([...clientsOf(stayed.doc).keys()]).toEqual(['sud1']);
		const card = clientsOf(arrived.doc).get('nord1')!;
		expect(card.toJSON()).toEqual(before);
		expect(String(card.get('carePlan'))).toBe('Plan de soins de nord1');
		expect((card.get('carePlan') as Y.Text).toDelta()[0]).toEqual({
			insert: 'Plan',
			attributes: { bold: true }
		});
		expect(String(card.get('notes'))).toBe('Clés chez la voisine');
		expect(
			(card.get('transmissions') as Y.Array<{ text: string }>).toArray().map((t) => t.text)
		).toEqual(['RAS ce matin']);
		expect(card.get('contacts')).toBeInstanceOf(Y.Map);
		expect(card.get('firstVisit')).toBeInstanceOf(Y.Map);
		expect(arrived.doc.getMap('absences').size).toBe(0);
		expect(stayed.doc.getMap('absences').size).toBe(0);
		// Absences moved from board to board, never through a caseload.
		const absencesOn = (id: string) =>
			harness.collab.read(`team/${id}/board`, (doc) => [...doc.getMap('absences').keys()]);
		expect(await absencesOn(newTeamId)).toEqual(['away-mover']);
		expect(await absencesOn(teamId)).toEqual(['away-stayer']);
		expect(arrived.doc.getMap('meta').get('schemaVersion')).toBe(1);

		// The read model follows both documents.
		const rows = async (id: string) =>
			(await database.db.select({ id: client.id }).from(client).where(eq(client.teamId, id)))
				.map((r) => r.id)
				.sort();
		expect(await rows(newTeamId)).toEqual(['nord1', 'nord2']);
		expect(await rows(teamId)).toEqual(['sud1']);

		// Rota: past weeks keep their history; from this week on the moved clients and movers leave.
		const past = await harness.collab.read(rota(teamId, lastWeek), readWeek);
		expect(past.visits.map((v) => [v.id, v.carerId])).toEqual([['past', mover]]);
		const next = await harness.collab.read(rota(teamId, nextWeek), readWeek);
		expect(next.visits.map((v) => [v.id, v.carerId])).toEqual([
			['v-sud', null],
			['v-sud-2', stayer]
		]);
		expect(next.shifts).toEqual([]);

		// Each team's documents are its own.
		const url = (doc: string) => `${harness.origin.replace(/^http/, 'ws')}/collab/${doc}`;
		const as = (token: string) => ({ cookie: `session=${token}`, origin: harness.origin });
		expect((await upgradeStatus(url(caseload(newTeamId)), as(people[0]!.token))).status).toBe(403);
		expect((await upgradeStatus(url(caseload(teamId)), as(people[7]!.token))).status).toBe(403);
		expect((await upgradeStatus(url(rota(teamId, nextWeek)), as(people[7]!.token))).status).toBe(
			403
		);

		// Running the documents' part again (or the mirror, or a read) changes nothing.
		const state = async () =>
			Promise.all(
				[caseload(teamId), caseload(newTeamId), rota(teamId, nextWeek)].map(async (name) =>
					Buffer.from(await harness.collab.snapshot(name)).toString('base64')
				)
			);
		const then = await state();
		const parts = { collab: harness.collab, projection };
		const again = await Promise.all([
			completeSplit(database.db, parts, { teamId, decisionId: proposed.decision.id }),
			completeSplit(database.db, parts, { teamId, decisionId: proposed.decision.id })
		]);
		expect(again).toEqual([{ status: 'already' }, { status: 'already' }]);
		const sealed = await decisions.read(database.db, splitMirror, {
			teamId,
			decisionId: proposed.decision.id
		});
		await splitMirror(teamId, sealed!);
		expect(await state()).toEqual(then);
		expect(await decisions.events(database.db, proposed.decision.id)).toHaveLength(events.length);
		expect(await rows(newTeamId)).toEqual(['nord1', 'nord2']);
	});

	it('moves the cards too when the split is adopted at its deadline, on the next read', async () => {
		const { teamId, people } = await teamOf(13);
		const ids = people.map((p) => p.id);
		const projection = new Projections(database.db, harness.collab);
		const splitMirror = governanceMirror(
			harness.collab,
			afterSplitAdopted(database.db, { collab: harness.collab, projection })
		);
		await harness.collab.change(caseload(teamId), (doc) => {
			addClient(doc, 'est1', {
				name: 'Personne Est',
				address: '',
				sector: 'Est',
				carePlan: 'Matin'
			});
			addClient(doc, 'ouest1', { name: 'Personne Ouest', address: '', sector: 'Ouest' });
		});
		await projection.refreshCaseload(teamId);
		const proposed = await teamChanges.propose(database.db, splitMirror, {
			...base(teamId, ids[0]!),
			change: { kind: 'split', name: 'Est', memberIds: ids.slice(10), sectors: ['Est'] }
		});
		if (!proposed.ok) throw new Error(proposed.reason);
		// The quorum (7 of 13) consents; nobody objects; the deadline passes with nobody there.
		await everyoneConsents(teamId, proposed.decision.id, ids.slice(0, 7), splitMirror);
		const closed = await decisions.read(database.db, splitMirror, {
			teamId,
			decisionId: proposed.decision.id,
			now: new Date(Date.now() + 8 * DAY_MS)
		});
		expect(closed?.stage).toBe('adopted');
		const moved = (await decisions.events(database.db, proposed.decision.id)).at(-1)?.move as {
			type: string;
			teamId: string;
		};
		expect(moved).toMatchObject({ type: 'split-moved', clients: 1, absences: 0 });
		expect(
			await harness.collab.read(caseload(moved.teamId), (doc) => [
				...clientsOf(doc).keys(),
				String(clientsOf(doc).get('est1')?.get('carePlan'))
			])
		).toEqual(['est1', 'Matin']);
		expect(
			await harness.collab.read(caseload(teamId), (doc) => [...clientsOf(doc).keys()])
		).toEqual(['ouest1']);
		expect((await teams.listForUser(database.db, ids[12]!)).member.map((t) => t.name)).toEqual([
			'Est'
		]);
	});

	it('is only offered past 12 members', async () => {
		const { teamId, people } = await teamOf(12);
		expect(
			await teamChanges.propose(database.db, mirror, {
				...base(teamId, people[0]!.id),
				change: { kind: 'split', name: 'Nord', memberIds: [people[1]!.id], sectors: [] }
			})
		).toEqual({ ok: false, reason: 'not-past-split-point' });
	});
});
