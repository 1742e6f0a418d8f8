import { and, asc, desc, eq, gte, inArray, isNull, lte, notInArray } from 'drizzle-orm';
import {
	applyElection,
	newElection,
	type Election,
	type ElectionMove,
	type ElectionRefusal
} from '$lib/domain/election';
import {
	currentHolders,
	roleSignals,
	ROLE_TEMPLATES,
	type Assignment,
	type Role,
	type RoleTemplateKey
} from '$lib/domain/roles';
import type { Db } from '$lib/server/db';
import { election, electionEvent, membership, role, roleAssignment } from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import { addDays } from '$lib/domain/week';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The last day of a term of `months` starting on `from`. */
function termEnd(from: string, months: number): string {
	const d = new Date(`${from}T12:00:00Z`);
	d.setUTCMonth(d.getUTCMonth() + months);
	return addDays(d.toISOString().slice(0, 10), -1);
}

/**
 * Every term of the team's roles, the latest first, ended ones included. A former member's
 * assignment (member erased) has no one to name and is left out.
 */
export async function assignments(db: Db, teamId: string): Promise<Assignment[]> {
	const rows = await db
		.select({
			roleId: roleAssignment.roleId,
			memberId: roleAssignment.memberId,
			from: roleAssignment.from,
			until: roleAssignment.until,
			endedOn: roleAssignment.endedOn
		})
		.from(roleAssignment)
		.innerJoin(role, eq(role.id, roleAssignment.roleId))
		.where(eq(role.teamId, teamId))
		.orderBy(desc(roleAssignment.from));
	return rows.flatMap((a) => (a.memberId === null ? [] : [{ ...a, memberId: a.memberId }]));
}

/** The team's roles with their holders, history, open elections and what needs attention. */
export async function overview(db: Db, teamId: string, today: string) {
	const [roles, domainAssignments, elections] = await Promise.all([
		db
			.select()
			.from(role)
			.where(and(eq(role.teamId, teamId), isNull(role.retiredOn)))
			.orderBy(asc(role.name)),
		assignments(db, teamId),
		db
			.select({ id: election.id, roleId: election.roleId, stage: election.stage })
			.from(election)
			.where(eq(election.teamId, teamId))
	]);
	const domainRoles: Role[] = roles.map((r) => ({
		id: r.id,
		name: r.name,
		purpose: r.purpose,
		accountabilities: r.accountabilities,
		termMonths: r.termMonths,
		essential: r.essential
	}));
	const templateOf = new Map(roles.map((r) => [r.id, r.templateKey as RoleTemplateKey | null]));
	return {
		roles: domainRoles.map((r) => ({
			...r,
			templateKey: templateOf.get(r.id) ?? null,
			holders: currentHolders(domainAssignments, today).filter((a) => a.roleId === r.id),
			history: domainAssignments.filter((a) => a.roleId === r.id),
			openElection:
				elections.find((e) => e.roleId === r.id && e.stage !== 'elected' && e.stage !== 'cancelled')
					?.id ?? null
		})),
		signals: roleSignals(domainRoles, domainAssignments, today)
	};
}

/** Offers Buurtzorg's role set to a team: adds the templates it does not have yet (by name). */
export async function addTemplates(db: Db, teamId: string): Promise<number> {
	const existing = new Set(
		(await db.select({ name: role.name }).from(role).where(eq(role.teamId, teamId))).map(
			(r) => r.name
		)
	);
	const missing = ROLE_TEMPLATES.filter((t) => !existing.has(t.name));
	if (missing.length > 0)
		await db
			.insert(role)
			.values(missing.map(({ key, ...t }) => ({ id: newId(), teamId, templateKey: key, ...t })));
	return missing.length;
}

export async function assign(
	db: Db,
	input: { roleId: string; memberId: string; from: string; termMonths: number }
): Promise<void> {
	await db.transaction(async (tx) => {
		// The previous holder's term ends the day before the new one starts.
		await tx
			.update(roleAssignment)
			.set({ endedOn: addDays(input.from, -1) })
			.where(and(eq(roleAssignment.roleId, input.roleId), isNull(roleAssignment.endedOn)));
		await tx.insert(roleAssignment).values({
			id: newId(),
			roleId: input.roleId,
			memberId: input.memberId,
			from: input.from,
			until: termEnd(input.from, input.termMonths)
		});
	});
}

export async function startElection(
	db: Db,
	input: { teamId: string; roleId: string; convenerId: string }
): Promise<string | null> {
	const [found] = await db
		.select({ id: role.id })
		.from(role)
		.where(and(eq(role.id, input.roleId), eq(role.teamId, input.teamId), isNull(role.retiredOn)));
	if (found === undefined) return null;
	const [running] = await db
		.select({ id: election.id })
		.from(election)
		.where(
			and(eq(election.roleId, input.roleId), notInArray(election.stage, ['elected', 'cancelled']))
		);
	if (running !== undefined) return running.id;
	const members = (
		await db
			.select({ id: membership.userId })
			.from(membership)
			.where(eq(membership.teamId, input.teamId))
	).map((m) => m.id);
	const e = newElection({
		id: newId(),
		roleId: input.roleId,
		convenerId: input.convenerId,
		participants: members
	});
	await db.insert(election).values({
		id: e.id,
		teamId: input.teamId,
		roleId: input.roleId,
		stage: e.stage,
		revision: 0,
		state: e
	});
	return e.id;
}

export async function readElection(
	db: Db,
	teamId: string,
	electionId: string
): Promise<Election | null> {
	const [row] = await db
		.select({ state: election.state })
		.from(election)
		.where(and(eq(election.id, electionId), eq(election.teamId, teamId)));
	return row?.state ?? null;
}

export type ElectionResult =
	{ ok: true; election: Election } | { ok: false; reason: ElectionRefusal | 'not-found' };

/**
 * A member's move in an election, checked by the state machine on the locked stored state; the
 * mover is the signed-in member. Once elected, the holder takes the role for one term, at once.
 */
export async function electionMove(
	db: Db,
	input: {
		/** Shows the new state to every open board (the governance document). */
		mirror?: (teamId: string, election: Election) => Promise<void>;
		teamId: string;
		electionId: string;
		userId: string;
		move: DistributiveOmit<ElectionMove, 'by'>;
		today: string;
	}
): Promise<ElectionResult> {
	const move = { ...input.move, by: input.userId } as ElectionMove;
	const result = await db.transaction(async (tx): Promise<ElectionResult> => {
		const [row] = await tx
			.select({ state: election.state, revision: election.revision, roleId: election.roleId })
			.from(election)
			.where(and(eq(election.id, input.electionId), eq(election.teamId, input.teamId)))
			.for('update');
		if (row === undefined) return { ok: false, reason: 'not-found' };
		const out = applyElection(row.state, move);
		if (!out.ok) return out;
		await tx
			.insert(electionEvent)
			.values({ electionId: input.electionId, seq: row.revision + 1, userId: input.userId, move });
		await tx
			.update(election)
			.set({ state: out.election, stage: out.election.stage, revision: row.revision + 1 })
			.where(eq(election.id, input.electionId));
		if (out.election.stage === 'elected' && out.election.proposed !== null) {
			const [r] = await tx
				.select({ termMonths: role.termMonths })
				.from(role)
				.where(eq(role.id, row.roleId));
			await assign(tx, {
				roleId: row.roleId,
				memberId: out.election.proposed,
				from: input.today,
				termMonths: r?.termMonths ?? 12
			});
		}
		return out;
	});
	if (result.ok && input.mirror !== undefined) await input.mirror(input.teamId, result.election);
	return result;
}

export type StepDownResult =
	{ ok: true; electionId: string } | { ok: false; reason: 'not-a-holder' };

/**
 * A holder steps down: their term ends today, and the role opens for election at once (they
 * convene it, as they know the role best; anyone may nominate).
 */
export async function stepDown(
	db: Db,
	input: { teamId: string; roleId: string; userId: string; today: string }
): Promise<StepDownResult> {
	const ended = await db
		.update(roleAssignment)
		.set({ endedOn: input.today })
		.where(
			and(
				eq(roleAssignment.roleId, input.roleId),
				eq(roleAssignment.memberId, input.userId),
				isNull(roleAssignment.endedOn),
				lte(roleAssignment.from, input.today),
				gte(roleAssignment.until, input.today),
				inArray(
					roleAssignment.roleId,
					db
						.select({ id: role.id })
						.from(role)
						.where(and(eq(role.teamId, input.teamId), isNull(role.retiredOn)))
				)
			)
		)
		.returning({ id: roleAssignment.id });
	if (ended.length === 0) return { ok: false, reason: 'not-a-holder' };
	const electionId = await startElection(db, {
		teamId: input.teamId,
		roleId: input.roleId,
		convenerId: input.userId
	});
	return electionId === null ? { ok: false, reason: 'not-a-holder' } : { ok: true, electionId };
}
