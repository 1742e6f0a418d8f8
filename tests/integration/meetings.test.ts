import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agendaOutcome } from '../../src/lib/domain/meeting';
import { governanceMirror, meetingMirror } from '../../src/lib/server/collab/governance';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as meetings from '../../src/lib/server/governance/meetings';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// A weekly meeting from start to finish on a real database, with members writing the live meeting
// document through stock y-websocket clients and the server reading it to run the consent rounds
// and write the minutes.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let teamId: string;
const people: { id: string; token: string }[] = [];
const clients: Client[] = [];

beforeAll(async () => {
	database = await createTestDatabase();
	for (const name of ['Aïcha Benali', 'Camille Lefèvre', 'Sophie Garnier', 'Inès Moreau'])
		people.push(
			await personWithSession(database.db, name, `${name.split(' ')[0]!.toLowerCase()}@example.org`)
		);
	teamId = await teams.create(database.db, { name: 'Équipe', creatorId: people[0]!.id, ...nurse });
	for (const p of people.slice(1)) {
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: people[0]!.id
		});
		await invitations.accept(database.db, { token, userId: p.id, profile: nurse });
	}
	harness = await startCollab(database.db);
});
afterAll(async () => {
	for (const c of clients) c.destroy();
	await harness?.stop();
	await database?.dispose();
});

describe('the weekly meeting', () => {
	it('is planned ahead, runs with those present, and closes with minutes of what was decided and who consented', async () => {
		const mirror = governanceMirror(harness.collab);
		const planned = await meetings.next(database.db, teamId, '2026-12-02');
		expect(planned).toMatchObject({ status: 'planned', heldOn: '2026-12-08' });
		// Asking again gives the same meeting, not a second one.
		expect((await meetings.next(database.db, teamId, '2026-12-03')).id).toBe(planned.id);

		// Three of four check in from their own devices; an agenda item is brought during the week.
		const name = meetings.docName(teamId, planned.id);
		for (const p of people.slice(0, 3)) {
			const c = openDocument(harness.origin, name, p.token);
			clients.push(c);
			await c.synced;
			c.doc.getMap('checkIn').set(p.id, 'En forme');
		}
		clients[0]!.doc.getMap('agenda').set('4b8a0e5e-8f7e-4d07-9d3c-2a4a3f1e0c11', {
			title: 'Samedis',
			purpose: 'Moins de fatigue',
			kind: 'proposal',
			by: people[0]!.id,
			at: '2026-12-03T09:00:00.000Z',
			done: false,
			decisionId: null
		});
		// What the clients wrote has reached the server's copy.
		const members = people.map((p) => p.id);
		for (let i = 0; i < 50; i++) {
			const live = await meetings.liveState(harness.collab, teamId, planned.id, members);
			if (live.present.length === 3 && live.agenda.length === 1) break;
			await new Promise((r) => setTimeout(r, 50));
		}

		// Proposals are refused before the meeting opens.
		const proposal = {
			teamId,
			proposerId: people[0]!.id,
			title: 'Samedis à deux',
			driver: 'Moins de fatigue',
			text: 'Deux personnes le samedi.',
			area: 'rota' as const,
			reviewDate: '2027-03-01',
			meetingId: planned.id,
			agendaItemId: '4b8a0e5e-8f7e-4d07-9d3c-2a4a3f1e0c11'
		};
		expect(await meetings.propose(database.db, mirror, harness.collab, proposal)).toBeNull();

		// Planned for Tuesday 8, the meeting is held a day late, on Wednesday 9 at 9:30 in Paris.
		const opened = await meetings.start(database.db, meetingMirror(harness.collab), {
			teamId,
			meetingId: planned.id,
			now: new Date('2026-12-09T08:30:00Z')
		});
		expect(opened?.status).toBe('open');
		const d = await meetings.propose(database.db, mirror, harness.collab, proposal);
		expect(d).not.toBeNull();
		// Those present take part; the member who did not check in does not.
		expect([...d!.participants].sort()).toEqual(
			people
				.slice(0, 3)
				.map((p) => p.id)
				.sort()
		);
		// The agenda item now points at its decision, on every board.
		await waitFor(
			() =>
				(
					clients[1]!.doc.getMap('agenda').get('4b8a0e5e-8f7e-4d07-9d3c-2a4a3f1e0c11') as {
						decisionId?: string;
					}
				)?.decisionId === d!.id,
			'the agenda item linked to its decision'
		);

		const move = (who: number, m: Parameters<typeof decisions.move>[2]['move']) =>
			decisions.move(database.db, mirror, {
				teamId,
				decisionId: d!.id,
				userId: people[who]!.id,
				move: m
			});
		await move(0, { type: 'open-round' });
		await move(1, {
			type: 'answer',
			version: 1,
			kind: 'objection',
			reason: 'Personne de formé le samedi.'
		});
		await move(0, {
			type: 'amend',
			text: 'Deux personnes le samedi, dont une formée aux transferts.'
		});
		await move(0, { type: 'answer', version: 2, kind: 'consent', reason: '' });
		await move(1, { type: 'answer', version: 2, kind: 'concern', reason: 'À revoir en mars.' });
		const last = await move(2, { type: 'answer', version: 2, kind: 'consent', reason: '' });
		expect(last).toMatchObject({ ok: true, decision: { stage: 'adopted' } });

		await meetings.callCoach(database.db, {
			teamId,
			meetingId: planned.id,
			by: people[2]!.id,
			note: 'Le planning des week-ends'
		});
		const closed = await meetings.close(
			database.db,
			meetingMirror(harness.collab),
			harness.collab,
			{
				teamId,
				meetingId: planned.id,
				today: '2026-12-08'
			}
		);
		if (!closed.ok) throw new Error(closed.reason);
		expect([...closed.minutes.present].sort()).toEqual(
			people
				.slice(0, 3)
				.map((p) => p.id)
				.sort()
		);
		expect(closed.minutes.decisions).toHaveLength(1);
		const [minute] = closed.minutes.decisions;
		expect(minute).toMatchObject({
			title: 'Samedis à deux',
			stage: 'adopted',
			version: 2,
			text: 'Deux personnes le samedi, dont une formée aux transferts.',
			concerns: [{ by: people[1]!.id, reason: 'À revoir en mars.' }],
			integrated: [{ by: people[1]!.id, reason: 'Personne de formé le samedi.' }]
		});
		expect([...minute!.consented].sort()).toEqual([people[0]!.id, people[2]!.id].sort());
		expect(closed.minutes.coachCalls).toEqual(['Le planning des week-ends']);
		// The coach sees the call until they answer it, and only for teams they may see.
		const [call] = await meetings.openCalls(database.db, [teamId]);
		expect(call).toMatchObject({ teamId, note: 'Le planning des week-ends' });
		expect(await meetings.openCalls(database.db, [])).toEqual([]);
		expect(await meetings.answerCall(database.db, { callId: call!.id, teamIds: ['another'] })).toBe(
			false
		);
		expect(await meetings.answerCall(database.db, { callId: call!.id, teamIds: [teamId] })).toBe(
			true
		);
		expect(await meetings.openCalls(database.db, [teamId])).toEqual([]);
		// The minutes carry the day it was held, and the day it was planned for; the agenda item
		// points at the decision it became.
		expect(closed.minutes).toMatchObject({ heldOn: '2026-12-09', plannedOn: '2026-12-08' });
		expect(closed.minutes.agenda).toEqual([
			{ title: 'Samedis', kind: 'proposal', done: false, decisionId: d!.id, reviewOf: null }
		]);
		expect(agendaOutcome(closed.minutes.agenda[0]!, closed.minutes)).toMatchObject({
			kind: 'proposal',
			decision: { id: d!.id, stage: 'adopted' }
		});
		// The next meeting is planned a week later; closing twice is refused; the minutes are kept.
		expect(closed.next).toMatchObject({ status: 'planned', heldOn: '2026-12-15' });
		expect(
			await meetings.close(database.db, meetingMirror(harness.collab), harness.collab, {
				teamId,
				meetingId: planned.id,
				today: '2026-12-08'
			})
		).toEqual({ ok: false, reason: 'not-open' });
		const past = await meetings.past(database.db, teamId);
		expect(past.map((p) => p.id)).toEqual([planned.id]);
		expect(past[0]!.minutes).toEqual(closed.minutes);
		// Every board sees the meeting closed.
		const reader = openDocument(harness.origin, `team/${teamId}/governance`, people[3]!.token);
		clients.push(reader);
		await waitFor(
			() =>
				(reader.doc.getMap('meetings').get(planned.id) as { status?: string } | undefined)
					?.status === 'closed',
			'the closed meeting in the governance document'
		);
		expect(reader.doc.getMap('meetings').get(planned.id)).toMatchObject({ status: 'closed' });
	});

	it('keeps facilitator and note taker to members of the team', async () => {
		const next = await meetings.next(database.db, teamId, '2026-12-09');
		const outsider = await personWithSession(database.db, 'Dehors', 'dehors@example.org');
		expect(
			await meetings.setRoles(database.db, {
				teamId,
				meetingId: next.id,
				facilitatorId: outsider.id,
				noteTakerId: null
			})
		).toBe(false);
		expect(
			await meetings.setRoles(database.db, {
				teamId,
				meetingId: next.id,
				facilitatorId: people[1]!.id,
				noteTakerId: people[2]!.id
			})
		).toBe(true);
		expect(await meetings.get(database.db, teamId, next.id)).toMatchObject({
			facilitatorId: people[1]!.id,
			noteTakerId: people[2]!.id
		});
	});
});
