import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRota } from '../../src/lib/domain/rota-checks';
import { canTake } from '../../src/lib/domain/rota-swap';
import type { RotaClient, RotaMember, Visit } from '../../src/lib/domain/rota';
import type { TeamChange } from '../../src/lib/domain/team-change';
import { governanceMirror } from '../../src/lib/server/collab/governance';
import { election, role, roleAssignment, team } from '../../src/lib/server/db/schema';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as meetings from '../../src/lib/server/governance/meetings';
import * as roles from '../../src/lib/server/governance/roles';
import * as rules from '../../src/lib/server/governance/rules';
import * as teamChanges from '../../src/lib/server/governance/team-changes';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { personWithSession, startCollab } from '../helpers/collab-harness';
import { createTestDatabase } from '../helpers/database';

// The team's own rules, roles and reviews, on a real database with the real collab server: a rule
// changes only when its decision is adopted, and then the rota and the meetings apply it; roles are
// created, edited and retired by decision; a decision due for review comes back on the agenda.

const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let harness: Awaited<ReturnType<typeof startCollab>>;
let mirror: decisions.Mirror;

beforeAll(async () => {
	database = await createTestDatabase();
	harness = await startCollab(database.db);
	mirror = governanceMirror(harness.collab);
});
afterAll(async () => {
	await harness?.stop();
	await database?.dispose();
});

let n = 0;
async function teamOf(size: number) {
	const ids: string[] = [];
	for (let i = 0; i < size; i++)
		ids.push((await personWithSession(database.db, `Membre ${++n}`, `r${n}@example.org`)).id);
	const teamId = await teams.create(database.db, {
		name: `Équipe ${n}`,
		creatorId: ids[0]!,
		...nurse
	});
	for (const id of ids.slice(1)) {
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: ids[0]!
		});
		await invitations.accept(database.db, { token, userId: id, profile: nurse });
	}
	return { teamId, ids };
}

/** Proposes a change (async round) and has everyone consent: adopted, and carried out. */
async function adopt(teamId: string, ids: string[], change: TeamChange, title = 'Changement') {
	const proposed = await teamChanges.propose(database.db, mirror, {
		teamId,
		proposerId: ids[0]!,
		title,
		driver: 'Parce que',
		text: title,
		reviewDate: '2027-06-01',
		mode: 'async',
		deadline: await teamChanges.asyncDeadline(database.db, teamId, new Date()),
		change
	});
	if (!proposed.ok) throw new Error(proposed.reason);
	await consentAll(teamId, proposed.decision.id, ids);
	return proposed.decision.id;
}

async function consentAll(teamId: string, decisionId: string, ids: string[]) {
	const d = await decisions.read(database.db, mirror, { teamId, decisionId });
	if (d!.stage !== 'round')
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: d!.proposerId,
			move: { type: 'open-round' }
		});
	for (const id of ids)
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: id,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' }
		});
	const adopted = await decisions.read(database.db, mirror, { teamId, decisionId });
	expect(adopted?.stage).toBe('adopted');
}

const member = (id: string): RotaMember => ({
	id,
	name: id,
	profession: 'nurse',
	contractMinutes: 2100,
	employment: 'self_employed'
});
const roux: RotaClient = {
	id: 'roux',
	name: 'Mme Roux',
	sector: 'Pentes',
	active: true,
	primaryCarerId: null,
	nurseOnly: false,
	twoCarers: false,
	refusedCarerIds: []
} as RotaClient;
const visit = (id: string, carerId: string, date: string): Visit =>
	({
		id,
		clientId: 'roux',
		date,
		start: 8 * 60,
		minutes: 30,
		carerId,
		qualification: 'any',
		changedAt: null,
		offer: null
	}) as Visit;

describe('a rule changed by consent', () => {
	it('changes what the rota applies and the meeting day, only once adopted', async () => {
		const { teamId, ids } = await teamOf(3);
		const members = ['a', 'b', 'c', 'd'].map(member);
		const week = [
			visit('v1', 'a', '2026-11-30'),
			visit('v2', 'b', '2026-12-01'),
			visit('v3', 'c', '2026-12-02')
		];
		const offered = {
			...visit('v4', 'a', '2026-12-04'),
			offer: { by: 'a', at: '2026-11-30T10:00:00Z' }
		};
		const rotaWith = async () => {
			const r = await rules.current(database.db, teamId);
			const base = { monday: '2026-11-30', members, clients: [roux], absences: [], shifts: [] };
			return {
				continuity: checkRota({ ...base, visits: week, maxCarersPerClient: r.maxCarersPerClient })
					.filter((w) => w.kind === 'continuity')
					.map((w) => ({ figure: w.figure, limit: w.limit })),
				// The evening before the visit, 19:00 Paris.
				swap: canTake(
					{ ...base, visits: [...week, offered], notice: r.swapNotice },
					{ visit: offered, takerId: 'd', now: new Date('2026-12-03T18:00:00Z') }
				)
			};
		};
		// The defaults: three carers a week are fine, a swap closes 2 h before.
		expect(await rotaWith()).toEqual({ continuity: [], swap: { ok: true } });

		// Proposed, not adopted yet: nothing changes.
		const pending = await teamChanges.propose(database.db, mirror, {
			teamId,
			proposerId: ids[0]!,
			title: 'Deux intervenants au plus',
			driver: 'Trop de visages',
			text: 'Deux au plus',
			reviewDate: '2027-06-01',
			mode: 'async',
			deadline: new Date(Date.now() + 86_400_000).toISOString(),
			change: { kind: 'rule', rule: { key: 'maxCarersPerClient', value: 2 } }
		});
		if (!pending.ok) throw new Error(pending.reason);
		expect(await rotaWith()).toEqual({ continuity: [], swap: { ok: true } });
		expect((await rules.derived(database.db, teamId)).maxCarersPerClient.source).toBeNull();

		await consentAll(teamId, pending.decision.id, ids);
		await adopt(teamId, ids, {
			kind: 'rule',
			rule: { key: 'swapNotice', value: { kind: 'day-before', at: 18 * 60 } }
		});
		expect(await rotaWith()).toEqual({
			continuity: [{ figure: 3, limit: 2 }],
			swap: { ok: false, reason: 'too-late' }
		});
		expect((await rules.derived(database.db, teamId)).maxCarersPerClient).toMatchObject({
			value: 2,
			source: { decisionId: pending.decision.id, title: 'Deux intervenants au plus' }
		});

		// The meeting day: Thursday at 9:00 from now on. 2 December 2026 is a Wednesday.
		await adopt(teamId, ids, {
			kind: 'rule',
			rule: { key: 'meeting', value: { weekday: 4, start: 9 * 60 } }
		});
		expect(await meetings.next(database.db, teamId, '2026-12-02')).toMatchObject({
			heldOn: '2026-12-03',
			status: 'planned'
		});

		// The default async deadline is the team's too.
		const now = new Date('2026-12-02T10:00:00Z');
		expect(await teamChanges.asyncDeadline(database.db, teamId, now)).toBe(
			'2026-12-09T10:00:00.000Z'
		);
		await adopt(teamId, ids, { kind: 'rule', rule: { key: 'asyncDeadlineDays', value: 3 } });
		expect(await teamChanges.asyncDeadline(database.db, teamId, now)).toBe(
			'2026-12-05T10:00:00.000Z'
		);

		// A value out of bounds is refused when proposed: the pulse threshold never goes below 5.
		expect(
			await teamChanges.propose(database.db, mirror, {
				teamId,
				proposerId: ids[0]!,
				title: 'Météo à 3 réponses',
				driver: 'Nous sommes peu',
				text: 'Trois réponses suffisent',
				reviewDate: '2027-06-01',
				mode: 'async',
				deadline: new Date(Date.now() + 86_400_000).toISOString(),
				change: { kind: 'rule', rule: { key: 'pulseThreshold', value: 3 } }
			})
		).toEqual({ ok: false, reason: 'rule-out-of-range' });
	});
});

describe('roles the team shapes', () => {
	it('a team made by a split keeps the rules its team had decided before, not those decided after', async () => {
		const parent = await teamOf(2);
		const other = await teamOf(2);
		await adopt(parent.teamId, parent.ids, {
			kind: 'rule',
			rule: { key: 'maxCarersPerClient', value: 2 }
		});
		await adopt(other.teamId, other.ids, {
			kind: 'rule',
			rule: { key: 'asyncDeadlineDays', value: 5 }
		});
		// The new team, as a split makes it: created now, after the parent's first decision.
		const child = await teamOf(1);
		await database.db
			.update(team)
			.set({ splitFrom: parent.teamId, createdAt: new Date() })
			.where(eq(team.id, child.teamId));
		await new Promise((resolve) => setTimeout(resolve, 5));
		await adopt(parent.teamId, parent.ids, {
			kind: 'rule',
			rule: { key: 'asyncDeadlineDays', value: 3 }
		});
		const mine = await rules.current(database.db, child.teamId);
		expect(mine.maxCarersPerClient).toBe(2);
		// Neither the parent's later rule nor another team's.
		const defaults = await rules.current(database.db, (await teamOf(1)).teamId);
		expect(mine.asyncDeadlineDays).toBe(defaults.asyncDeadlineDays);
		expect((await rules.current(database.db, parent.teamId)).asyncDeadlineDays).toBe(3);
		// The parent does not take its split's own decisions either.
		await adopt(child.teamId, child.ids, {
			kind: 'rule',
			rule: { key: 'pulseThreshold', value: 7 }
		});
		expect((await rules.current(database.db, child.teamId)).pulseThreshold).toBe(7);
		expect((await rules.current(database.db, parent.teamId)).pulseThreshold).toBe(
			defaults.pulseThreshold
		);
	});

	it('creates, edits and retires a role by decision; a holder steps down and the role opens for election', async () => {
		const { teamId, ids } = await teamOf(2);
		const today = '2026-12-02';
		const draft = {
			name: 'Référent·e plaies',
			purpose: 'Tenir à jour les protocoles de pansement.',
			accountabilities: ['Former les nouveaux'],
			termMonths: 12,
			essential: false
		};
		await adopt(teamId, ids, { kind: 'role-create', role: draft }, 'Créer le rôle');
		let list = (await roles.overview(database.db, teamId, today)).roles;
		expect(list).toHaveLength(1);
		const roleId = list[0]!.id;
		expect(list[0]).toMatchObject({ ...draft, templateKey: null });

		// The same name twice is refused when proposed.
		expect(
			await teamChanges.propose(database.db, mirror, {
				teamId,
				proposerId: ids[0]!,
				title: 'Doublon',
				driver: 'x',
				text: 'x',
				reviewDate: '2027-06-01',
				mode: 'async',
				deadline: null,
				change: { kind: 'role-create', role: { ...draft, name: 'référent·e PLAIES' } }
			})
		).toEqual({ ok: false, reason: 'role-name-taken' });

		const edited = { ...draft, purpose: 'Plaies et pansements.', termMonths: 6 };
		await adopt(teamId, ids, { kind: 'role-edit', roleId, role: edited }, 'Modifier le rôle');
		expect((await roles.overview(database.db, teamId, today)).roles[0]).toMatchObject(edited);

		// A holder steps down: the term ends today, and an election opens, convened by them.
		await roles.assign(database.db, {
			roleId,
			memberId: ids[1]!,
			from: '2026-11-01',
			termMonths: 6
		});
		expect(await roles.stepDown(database.db, { teamId, roleId, userId: ids[0]!, today })).toEqual({
			ok: false,
			reason: 'not-a-holder'
		});
		const down = await roles.stepDown(database.db, { teamId, roleId, userId: ids[1]!, today });
		if (!down.ok) throw new Error(down.reason);
		list = (await roles.overview(database.db, teamId, today)).roles;
		expect(list[0]!.holders).toEqual([]);
		expect(list[0]!.history[0]).toMatchObject({ memberId: ids[1], endedOn: today });
		expect(list[0]!.openElection).toBe(down.electionId);
		expect(await roles.readElection(database.db, teamId, down.electionId)).toMatchObject({
			convenerId: ids[1],
			stage: 'nominations'
		});
		// Stepping down again finds nothing to end.
		expect(await roles.stepDown(database.db, { teamId, roleId, userId: ids[1]!, today })).toEqual({
			ok: false,
			reason: 'not-a-holder'
		});

		// Retired: offered no more, its open election cancelled, its history kept.
		await roles.assign(database.db, { roleId, memberId: ids[0]!, from: today, termMonths: 6 });
		await adopt(teamId, ids, { kind: 'role-retire', roleId, name: draft.name }, 'Retirer le rôle');
		expect((await roles.overview(database.db, teamId, today)).roles).toEqual([]);
		const [stored] = await database.db.select().from(role).where(eq(role.id, roleId));
		expect(stored?.retiredOn).not.toBeNull();
		const running = await database.db
			.select({ endedOn: roleAssignment.endedOn })
			.from(roleAssignment)
			.where(eq(roleAssignment.roleId, roleId));
		expect(running.every((a) => a.endedOn !== null)).toBe(true);
		const [e] = await database.db
			.select({ stage: election.stage })
			.from(election)
			.where(and(eq(election.id, down.electionId)));
		expect(e?.stage).toBe('cancelled');
		expect(await roles.startElection(database.db, { teamId, roleId, convenerId: ids[0]! })).toBe(
			null
		);
		// Retiring it again: the role is no longer the team's.
		expect(
			await teamChanges.propose(database.db, mirror, {
				teamId,
				proposerId: ids[0]!,
				title: 'Encore',
				driver: 'x',
				text: 'x',
				reviewDate: '2027-06-01',
				mode: 'async',
				deadline: null,
				change: { kind: 'role-retire', roleId, name: draft.name }
			})
		).toEqual({ ok: false, reason: 'no-such-role' });
	});

	it('offers the templates with their key, so meetings find the facilitator in any language', async () => {
		const { teamId, ids } = await teamOf(1);
		await roles.addTemplates(database.db, teamId);
		const list = (await roles.overview(database.db, teamId, '2026-12-02')).roles;
		const facilitator = list.find((r) => r.templateKey === 'facilitator')!;
		await roles.assign(database.db, {
			roleId: facilitator.id,
			memberId: ids[0]!,
			from: '2026-11-01',
			termMonths: 6
		});
		const planned = await meetings.next(database.db, teamId, todayLike());
		expect(planned.facilitatorId).toBe(ids[0]);
	});
});

/** Today, as the role holders are read for the next meeting. */
function todayLike() {
	return new Date().toISOString().slice(0, 10);
}

describe('reviews come back', () => {
	it('bring a decision due for review onto the next meeting’s agenda once; taking it up closes the reminder and links both', async () => {
		const { teamId, ids } = await teamOf(2);
		const proposed = await decisions.propose(database.db, mirror, {
			teamId,
			proposerId: ids[0]!,
			title: 'Tournée du samedi à deux',
			driver: 'Trop chargé',
			text: 'Deux personnes le samedi',
			area: 'rota',
			reviewDate: '2026-11-20',
			mode: 'async',
			deadline: null
		});
		await consentAll(teamId, proposed.id, ids);
		const reminders = () =>
			decisions.reminders(database.db, { teamId, userId: ids[0]!, today: '2026-12-02' });
		expect((await reminders()).toReview).toMatchObject([{ id: proposed.id, review: null }]);

		const next = await meetings.next(database.db, teamId, '2026-12-02');
		const input = { teamId, meetingId: next.id };
		expect(await meetings.bringReviews(database.db, harness.collab, input)).toBe(1);
		expect(await meetings.bringReviews(database.db, harness.collab, input)).toBe(0);
		const agenda = async () =>
			(await meetings.liveState(harness.collab, teamId, next.id, ids)).agenda;
		expect(await agenda()).toEqual([
			expect.objectContaining({
				id: `review-${proposed.id}`,
				title: 'Tournée du samedi à deux',
				reviewOf: proposed.id,
				done: false,
				decisionId: null
			})
		]);

		// Taken up: "end it", a new decision that refers to the old one.
		const review = await decisions.propose(database.db, mirror, {
			teamId,
			proposerId: ids[1]!,
			title: 'Mettre fin à « Tournée du samedi à deux »',
			driver: 'Sa date de revue est arrivée.',
			text: 'Le samedi redevient une tournée à une personne.',
			area: 'rota',
			reviewDate: '2027-06-01',
			mode: 'async',
			deadline: null,
			refersTo: proposed.id,
			review: { outcome: 'end' }
		});
		expect(review).toMatchObject({ refersTo: proposed.id, review: { outcome: 'end' } });
		await meetings.markReviewTaken(database.db, harness.collab, {
			teamId,
			reviewOf: proposed.id,
			decisionId: review.id
		});
		expect((await agenda())[0]).toMatchObject({ done: true, decisionId: review.id });
		// While the review is being decided, the reminder says so and nothing is added again.
		expect((await reminders()).toReview).toMatchObject([
			{ id: proposed.id, review: { id: review.id } }
		]);
		expect(await meetings.bringReviews(database.db, harness.collab, input)).toBe(0);

		await consentAll(teamId, review.id, ids);
		expect((await reminders()).toReview).toEqual([]);
		const old = await decisions.read(database.db, mirror, { teamId, decisionId: proposed.id });
		expect(await decisions.links(database.db, teamId, old!)).toEqual({
			refersTo: null,
			takenUpBy: [
				{
					id: review.id,
					title: review.title,
					stage: 'adopted',
					refersTo: proposed.id,
					outcome: 'end'
				}
			]
		});
		const taken = await decisions.read(database.db, mirror, { teamId, decisionId: review.id });
		expect((await decisions.links(database.db, teamId, taken!)).refersTo).toEqual({
			id: proposed.id,
			title: 'Tournée du samedi à deux'
		});
		expect((await meetings.glance(database.db, teamId, '2026-12-02')).reviewsDue).toBe(0);
	});
});

describe('how a newcomer joins', () => {
	it('lets an invitation alone make a member, until the team decides it consents to each arrival', async () => {
		const { teamId, ids } = await teamOf(2);
		const first = await personWithSession(database.db, 'Nouvelle Un', 'join1@example.org');
		const second = await personWithSession(database.db, 'Nouvelle Deux', 'join2@example.org');
		const invite = async () =>
			(await invitations.create(database.db, { teamId, kind: 'member', createdBy: ids[1]! })).token;
		const memberIds = async () => (await teams.members(database.db, teamId)).map((p) => p.userId);

		// The default rule: the invitation is enough.
		const joined = await invitations.accept(database.db, {
			token: await invite(),
			userId: first.id,
			profile: nurse
		});
		expect(joined).toMatchObject({ ok: true, waiting: null });
		expect(await memberIds()).toContain(first.id);

		await adopt(teamId, [...ids, first.id], {
			kind: 'rule',
			rule: { key: 'joining', value: 'consent' }
		});
		expect((await rules.current(database.db, teamId)).joining).toBe('consent');

		// Now accepting makes the invitee wait; the member who invited them proposes the arrival.
		const aide = { profession: 'care_aide' as const, contractMinutes: 1200 };
		const waiting = await invitations.accept(database.db, {
			token: await invite(),
			userId: second.id,
			profile: aide
		});
		expect(waiting).toMatchObject({ ok: true, waiting: aide });
		expect(await memberIds()).not.toContain(second.id);
		const d = await teamChanges.proposeAdmission(database.db, mirror, {
			teamId,
			invitedBy: ids[1]!,
			invitee: { userId: second.id, name: 'Nouvelle Deux', ...aide },
			title: 'Accueillir Nouvelle Deux',
			driver: 'Invitation acceptée',
			text: 'Nouvelle Deux devient membre.'
		});
		expect(d?.proposerId).toBe(ids[1]);
		// The invitee is not one of those asked: the team decides.
		expect(d?.participants.sort()).toEqual([...ids, first.id].sort());
		expect(await memberIds()).not.toContain(second.id);

		await consentAll(teamId, d!.id, [...ids, first.id]);
		const members = await teams.members(database.db, teamId);
		expect(members.find((p) => p.userId === second.id)).toMatchObject(aide);
		// Accepting another link once a member is refused as before.
		expect(
			await invitations.accept(database.db, {
				token: await invite(),
				userId: second.id,
				profile: aide
			})
		).toEqual({ ok: false, reason: 'already-member' });
	});
});
