import { and, asc, count, eq, gte, inArray, isNull, notInArray } from 'drizzle-orm';
import {
	checkChange,
	type ChangeRefusal,
	type TeamChange,
	type TeamShape
} from '$lib/domain/team-change';
import type { Decision } from '$lib/domain/consent';
import { todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import {
	client,
	coaching,
	election,
	electionEvent,
	membership,
	role,
	roleAssignment,
	team
} from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';

/**
 * Carrying out a team change (src/lib/domain/team-change.ts) inside the transaction that adopts its
 * decision (src/lib/server/decisions.ts), after a last check on the team as it is then.
 */
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function shapeOf(db: Db | Tx, teamId: string): Promise<TeamShape> {
	const [members, coaches, sectors, roles] = await Promise.all([
		db.select({ id: membership.userId }).from(membership).where(eq(membership.teamId, teamId)),
		db
			.select({ id: coaching.userId, status: coaching.status })
			.from(coaching)
			.where(eq(coaching.teamId, teamId)),
		sectorsOf(db, teamId),
		db
			.select({ id: role.id, name: role.name })
			.from(role)
			.where(and(eq(role.teamId, teamId), isNull(role.retiredOn)))
	]);
	return {
		memberIds: members.map((m) => m.id),
		coaches,
		sectors: sectors.map((s) => s.sector),
		roles
	};
}

/** The sectors of the team's caseload (from its read model) and how many clients each has. */
export async function sectorsOf(
	db: Db | Tx,
	teamId: string
): Promise<{ sector: string; clients: number }[]> {
	const rows = await db
		.select({ sector: client.sector, clients: count() })
		.from(client)
		.where(eq(client.teamId, teamId))
		.groupBy(client.sector)
		.orderBy(asc(client.sector));
	return rows.filter((r) => r.sector !== '');
}

/**
 * The outcome kept as the decision's `carried-out` event. A split names the team it made: the live
 * documents' part (src/lib/server/team-split.ts) runs after the commit and reads it from there.
 */
export type CarriedOut = { done: true; teamId?: string } | { done: false; reason: ChangeRefusal };

/**
 * Carries out an adopted decision's change inside the transaction that adopted it. A change the
 * team no longer allows (the member already left, say) is not carried out, and says why.
 */
export async function carryOut(tx: Tx, teamId: string, d: Decision): Promise<CarriedOut | null> {
	const change = d.change ?? null;
	if (change === null || d.stage !== 'adopted') return null;
	const refusal = checkChange(change, await shapeOf(tx, teamId));
	if (refusal !== null) return { done: false, reason: refusal };
	switch (change.kind) {
		case 'admit-member':
			await tx.insert(membership).values({
				teamId,
				userId: change.userId,
				profession: change.profession,
				contractMinutes: change.contractMinutes,
				joinedAt: new Date()
			});
			return { done: true };
		case 'remove-member':
			// Open boards close within seconds: the collab server re-checks access every 3 s.
			await tx
				.delete(membership)
				.where(and(eq(membership.teamId, teamId), eq(membership.userId, change.memberId)));
			return { done: true };
		case 'grant-coach':
			await tx
				.update(coaching)
				.set({ status: 'active', since: new Date(), decisionId: d.id })
				.where(and(eq(coaching.teamId, teamId), eq(coaching.userId, change.coachId)));
			return { done: true };
		case 'revoke-coach':
			await tx
				.delete(coaching)
				.where(and(eq(coaching.teamId, teamId), eq(coaching.userId, change.coachId)));
			return { done: true };
		case 'swap-notice':
		case 'rule':
			// The adopted decision is the rule's record: readers derive it (server/governance/rules.ts).
			return { done: true };
		case 'role-create':
			await tx.insert(role).values({ id: newId(), teamId, ...change.role });
			return { done: true };
		case 'role-edit':
			// Words that differ from its template's are the team's own, shown as they are written.
			await tx
				.update(role)
				.set(change.role)
				.where(and(eq(role.id, change.roleId), eq(role.teamId, teamId)));
			return { done: true };
		case 'role-retire':
			await retireRole(tx, teamId, change.roleId, d);
			return { done: true };
		case 'split':
			return { done: true, teamId: await split(tx, teamId, change, d) };
	}
}

/**
 * A role the team retires: its holders' terms end the day it is adopted, an election still running
 * for it is cancelled, and the role stays with its history, offered no more.
 */
async function retireRole(tx: Tx, teamId: string, roleId: string, d: Decision): Promise<void> {
	const today = todayIn(undefined, d.closedAt === null ? new Date() : new Date(d.closedAt));
	await tx
		.update(role)
		.set({ retiredOn: today })
		.where(and(eq(role.id, roleId), eq(role.teamId, teamId)));
	await tx
		.update(roleAssignment)
		.set({ endedOn: today })
		.where(and(eq(roleAssignment.roleId, roleId), isNull(roleAssignment.endedOn)));
	const open = await tx
		.select({ id: election.id, state: election.state, revision: election.revision })
		.from(election)
		.where(and(eq(election.roleId, roleId), notInArray(election.stage, ['elected', 'cancelled'])))
		.for('update');
	for (const e of open) {
		await tx.insert(electionEvent).values({
			electionId: e.id,
			seq: e.revision + 1,
			userId: null,
			move: { type: 'role-retired', decisionId: d.id }
		});
		await tx
			.update(election)
			.set({
				stage: 'cancelled',
				state: { ...e.state, stage: 'cancelled' },
				revision: e.revision + 1
			})
			.where(eq(election.id, e.id));
	}
}

/**
 * The database part of a split: the new team (made from this one), the movers' memberships moved
 * to it as they were (profession, contract, employment), and the roles they held here ended today.
 * Cards, absences and rota weeks are live documents, moved after the commit (team-split.ts).
 */
async function split(
	tx: Tx,
	teamId: string,
	change: Extract<TeamChange, { kind: 'split' }>,
	d: Decision
): Promise<string> {
	const today = todayIn(undefined, d.closedAt === null ? new Date() : new Date(d.closedAt));
	const id = newId();
	// The new team starts with the rules the team had decided (server/governance/rules.ts reads
	// them through `splitFrom`); it changes them by its own decisions.
	await tx.insert(team).values({ id, name: change.name.trim(), splitFrom: teamId });
	const moving = and(eq(membership.teamId, teamId), inArray(membership.userId, change.memberIds));
	const rows = await tx.select().from(membership).where(moving);
	await tx.delete(membership).where(moving);
	await tx.insert(membership).values(
		rows.map((m) => ({
			teamId: id,
			userId: m.userId,
			profession: m.profession,
			contractMinutes: m.contractMinutes,
			employment: m.employment
		}))
	);
	await tx
		.update(roleAssignment)
		.set({ endedOn: today })
		.where(
			and(
				inArray(roleAssignment.memberId, change.memberIds),
				isNull(roleAssignment.endedOn),
				gte(roleAssignment.until, today),
				inArray(
					roleAssignment.roleId,
					tx.select({ id: role.id }).from(role).where(eq(role.teamId, teamId))
				)
			)
		);
	return id;
}
