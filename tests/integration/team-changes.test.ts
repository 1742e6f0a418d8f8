import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { governanceMirror } from '../../src/lib/server/collab/governance';
import * as decisions from '../../src/lib/server/decisions';
import * as invitations from '../../src/lib/server/invitations';
import * as teamChanges from '../../src/lib/server/team-changes';
import * as teams from '../../src/lib/server/teams';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { createTestDatabase } from '../helpers/database';

// Team changes as decisions, on a real database with the real collab server mirroring them:
// nothing happens to the team until the decision is adopted, and then the server does it.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
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
async function teamOf(size: number) {
	const people = [];
	for (let i = 0; i < size; i++)
		people.push(await personWithSession(database.db, `Membre ${++n}`, `m${n}@example.org`));
	const teamId = await teams.create(database.db, {
		name: `Équipe ${n}`,
		creatorId: people[0]!.id,
		...nurse
	});
	for (const p of people.slice(1)) {
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: people[0]!.id
		});
		await invitations.accept(database.db, { token, userId: p.id, profile: nurse });
	}
	return { teamId, people };
}

async function everyoneConsents(teamId: string, decisionId: string, ids: string[]) {
	const d = await decisions.read(database.db, mirror, { teamId, decisionId });
	if (d!.stage !== 'round')
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: d!.proposerId,
			move: { type: 'open-round' }
		});
	let last = null;
	for (const id of ids) {
		last = await decisions.move(database.db, mirror, {
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
	deadline: new Date(Date.now() + 7 * 86_400_000).toISOString()
});

describe('team changes as decisions', () => {
	it('gives a coach access only once the team adopts it, and takes it back the same way', async () => {
		const { teamId, people } = await teamOf(3);
		const coach = await personWithSession(database.db, 'Claire Coach', `coach${n}@example.org`);
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
		const outsider = await personWithSession(database.db, 'Dehors', `out${n}@example.org`);
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
				change: { kind: 'swap-notice', minutes: 72 * 60 }
			})
		).toEqual({ ok: false, reason: 'notice-out-of-range' });

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
			change: { kind: 'swap-notice', minutes: 6 * 60 }
		});
		if (!proposed.ok) throw new Error(proposed.reason);
		await everyoneConsents(teamId, proposed.decision.id, [people[0]!.id]);
		expect(await teams.swapNoticeMinutes(database.db, teamId)).toBe(360);
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
