import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as accounts from '../../src/lib/server/accounts/accounts';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { createTestDatabase } from '../helpers/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let n = 0;
const nurse = { profession: 'nurse' as const, contractMinutes: 35 * 60 };

beforeAll(async () => {
	database = await createTestDatabase();
});
afterAll(async () => {
	await database.dispose();
});

async function person(name: string): Promise<string> {
	const result = await accounts.signUp(database.db, {
		name,
		email: `p${++n}@example.org`,
		password: 'a long enough password',
		address: '127.0.0.1'
	});
	if (!result.ok) throw new Error(result.reason);
	return result.userId;
}

/** What an adopted decision does (tests/integration/team-changes.test.ts goes through one). */
async function activateCoach(teamId: string, coachId: string): Promise<void> {
	await database.db.execute(
		sql`update coaching set status = 'active' where team_id = ${teamId} and user_id = ${coachId}`
	);
}

describe('teams', () => {
	it('makes the creator simply the first member', async () => {
		const aicha = await person('Aïcha');
		const teamId = await teams.create(database.db, {
			name: 'Équipe Croix-Rousse',
			creatorId: aicha,
			...nurse
		});
		expect(await teams.access(database.db, aicha, teamId)).toEqual({
			kind: 'member',
			teamId,
			teamName: 'Équipe Croix-Rousse'
		});
		const members = await teams.members(database.db, teamId);
		expect(members.map((m) => [m.name, m.profession, m.contractMinutes])).toEqual([
			['Aïcha', 'nurse', 2100]
		]);
	});

	it('has no manager, owner or admin anywhere in the schema', async () => {
		const result: unknown = await database.db.execute(
			sql`select table_name, column_name from information_schema.columns where table_schema = 'public'`
		);
		// PGlite answers { rows }, postgres.js an array of rows.
		const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
			table_name: string;
			column_name: string;
		}[];
		expect(rows.length).toBeGreaterThan(10);
		// Team roles (planner, mentor…) are shared-out work held for a term, not rights over others:
		// their tables may point at a role, nothing else may.
		const teamRoleLinks = new Set(['role_assignment.role_id', 'election.role_id']);
		const suspicious = rows.filter(
			(r) =>
				/admin|owner|manager|leader|role|is_lead|rights/i.test(r.column_name) &&
				!teamRoleLinks.has(`${r.table_name}.${r.column_name}`)
		);
		expect(suspicious).toEqual([]);
	});

	it('gives nothing to a stranger and nothing for an unknown team', async () => {
		const a = await person('A');
		const stranger = await person('Stranger');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		expect(await teams.access(database.db, stranger, teamId)).toBeNull();
		expect(await teams.access(database.db, a, 'no-such-team')).toBeNull();
	});

	it('lets a member leave, after which they have no access', async () => {
		const a = await person('A');
		const b = await person('B');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: a
		});
		expect((await invitations.accept(database.db, { token, userId: b, profile: nurse })).ok).toBe(
			true
		);
		await teams.leave(database.db, { teamId, userId: b });
		expect(await teams.access(database.db, b, teamId)).toBeNull();
		expect((await teams.members(database.db, teamId)).map((m) => m.userId)).toEqual([a]);
	});

	it('lists a user’s teams and the teams they coach, with member counts', async () => {
		const a = await person('A');
		const b = await person('B');
		const coach = await person('Coach');
		const one = await teams.create(database.db, { name: 'Alpha', creatorId: a, ...nurse });
		const two = await teams.create(database.db, { name: 'Beta', creatorId: b, ...nurse });
		const { token } = await invitations.create(database.db, {
			teamId: one,
			kind: 'member',
			createdBy: a
		});
		await invitations.accept(database.db, { token, userId: b, profile: nurse });
		const c = await invitations.create(database.db, { teamId: two, kind: 'coach', createdBy: b });
		await invitations.accept(database.db, { token: c.token, userId: coach, profile: null });
		// Waiting for the team's decision: not listed yet.
		expect((await teams.listForUser(database.db, coach)).coach).toEqual([]);
		await activateCoach(two, coach);
		const forB = await teams.listForUser(database.db, b);
		expect(forB.member.map((t) => [t.name, t.memberCount])).toEqual([
			['Alpha', 2],
			['Beta', 1]
		]);
		expect(forB.coach).toEqual([]);
		const forCoach = await teams.listForUser(database.db, coach);
		expect(forCoach.member).toEqual([]);
		expect(forCoach.coach.map((t) => [t.id, t.memberCount])).toEqual([[two, 1]]);
	});
});

describe('invitations', () => {
	it('work exactly once', async () => {
		const a = await person('A');
		const b = await person('B');
		const c = await person('C');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: a
		});
		expect(await invitations.inspect(database.db, token)).toMatchObject({
			status: 'open',
			kind: 'member',
			teamName: 'T'
		});
		expect(
			await invitations.accept(database.db, {
				token,
				userId: b,
				profile: { profession: 'care_aide', contractMinutes: 1800 }
			})
		).toEqual({ ok: true, teamId, kind: 'member', invitedBy: a, waiting: null });
		expect(await invitations.inspect(database.db, token)).toEqual({ status: 'used' });
		expect(await invitations.accept(database.db, { token, userId: c, profile: nurse })).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await teams.access(database.db, c, teamId)).toBeNull();
		const b_ = (await teams.members(database.db, teamId)).find((m) => m.userId === b);
		expect([b_?.profession, b_?.contractMinutes]).toEqual(['care_aide', 1800]);
	});

	it('give one winner when two people race for the same link', async () => {
		const a = await person('A');
		const racers = await Promise.all([person('R1'), person('R2'), person('R3')]);
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: a
		});
		const results = await Promise.all(
			racers.map((userId) => invitations.accept(database.db, { token, userId, profile: nurse }))
		);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(await teams.members(database.db, teamId)).toHaveLength(2);
	});

	it('expire after 7 days', async () => {
		const a = await person('A');
		const b = await person('B');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		const created = new Date('2026-11-01T09:00:00Z');
		const { token, expiresAt } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: a,
			now: created
		});
		expect(expiresAt.getTime() - created.getTime()).toBe(7 * 24 * 60 * 60 * 1000);
		const sixDays = new Date(created.getTime() + 6 * 24 * 60 * 60 * 1000);
		expect((await invitations.inspect(database.db, token, sixDays))?.status).toBe('open');
		const eightDays = new Date(created.getTime() + 8 * 24 * 60 * 60 * 1000);
		expect(await invitations.inspect(database.db, token, eightDays)).toEqual({ status: 'expired' });
		expect(
			await invitations.accept(database.db, { token, userId: b, profile: nurse, now: eightDays })
		).toEqual({ ok: false, reason: 'invalid' });
	});

	it('make a coach who is not a member', async () => {
		const a = await person('A');
		const coach = await person('Coach');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'coach',
			createdBy: a
		});
		expect(await invitations.accept(database.db, { token, userId: coach, profile: null })).toEqual({
			ok: true,
			teamId,
			kind: 'coach',
			invitedBy: a,
			waiting: null
		});
		// Access waits for the team's decision (tests/integration/team-changes.test.ts).
		expect(await teams.access(database.db, coach, teamId)).toBeNull();
		await activateCoach(teamId, coach);
		expect((await teams.access(database.db, coach, teamId))?.kind).toBe('coach');
		expect((await teams.members(database.db, teamId)).map((m) => m.userId)).toEqual([a]);
		expect((await teams.coaches(database.db, teamId)).map((c) => c.userId)).toEqual([coach]);
	});

	it('stay usable when refused to someone already in the team', async () => {
		const a = await person('A');
		const b = await person('B');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: a
		});
		expect(await invitations.accept(database.db, { token, userId: a, profile: nurse })).toEqual({
			ok: false,
			reason: 'already-member'
		});
		expect((await invitations.accept(database.db, { token, userId: b, profile: nurse })).ok).toBe(
			true
		);
	});

	it('are unknown for a token never issued, and can be withdrawn', async () => {
		const a = await person('A');
		const teamId = await teams.create(database.db, { name: 'T', creatorId: a, ...nurse });
		expect(await invitations.inspect(database.db, 'never-issued')).toBeNull();
		const { token } = await invitations.create(database.db, {
			teamId,
			kind: 'member',
			createdBy: a
		});
		const [open] = await invitations.listOpen(database.db, teamId);
		await invitations.revoke(database.db, { teamId: 'another-team', invitationId: open!.id });
		expect(await invitations.listOpen(database.db, teamId)).toHaveLength(1);
		await invitations.revoke(database.db, { teamId, invitationId: open!.id });
		expect(await invitations.listOpen(database.db, teamId)).toEqual([]);
		expect(await invitations.inspect(database.db, token)).toBeNull();
	});
});
