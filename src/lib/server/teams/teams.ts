import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Employment } from '$lib/domain/forms';
import type { Profession } from '$lib/domain/profession';
import type { Db } from '$lib/server/db';
import { coaching, membership, team, user } from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';

export type TeamAccess =
	| { kind: 'member'; teamId: string; teamName: string }
	| { kind: 'coach'; teamId: string; teamName: string };

export interface MemberProfile {
	profession: Profession;
	contractMinutes: number;
}

/** Any user creates a team and is simply its first member. */
export async function create(
	db: Db,
	input: { name: string; creatorId: string } & MemberProfile
): Promise<string> {
	const id = newId();
	await db.transaction(async (tx) => {
		await tx.insert(team).values({ id, name: input.name });
		await tx.insert(membership).values({
			teamId: id,
			userId: input.creatorId,
			profession: input.profession,
			contractMinutes: input.contractMinutes
		});
	});
	return id;
}

/** What a user is to a team: a member, its coach, or nothing (null). */
export async function access(db: Db, userId: string, teamId: string): Promise<TeamAccess | null> {
	const rows = await db
		.select({
			teamName: team.name,
			member: membership.userId,
			coach: coaching.userId
		})
		.from(team)
		.leftJoin(membership, and(eq(membership.teamId, team.id), eq(membership.userId, userId)))
		.leftJoin(
			coaching,
			and(
				eq(coaching.teamId, team.id),
				eq(coaching.userId, userId),
				// A coach waiting for the team's decision sees nothing yet.
				eq(coaching.status, 'active')
			)
		)
		.where(eq(team.id, teamId))
		.limit(1);
	const row = rows[0];
	if (row === undefined) return null;
	if (row.member !== null) return { kind: 'member', teamId, teamName: row.teamName };
	if (row.coach !== null) return { kind: 'coach', teamId, teamName: row.teamName };
	return null;
}

export async function members(db: Db, teamId: string) {
	return db
		.select({
			userId: user.id,
			name: user.name,
			email: user.email,
			profession: membership.profession,
			contractMinutes: membership.contractMinutes,
			employment: membership.employment,
			joinedAt: membership.joinedAt
		})
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(eq(membership.teamId, teamId))
		.orderBy(asc(user.name));
}

export async function coaches(db: Db, teamId: string) {
	return db
		.select({ userId: user.id, name: user.name, status: coaching.status })
		.from(coaching)
		.innerJoin(user, eq(user.id, coaching.userId))
		.where(eq(coaching.teamId, teamId))
		.orderBy(asc(user.name));
}

/** People's names by id: a split's movers, still named on the decision their old team keeps. */
export async function namesOf(db: Db, ids: string[]) {
	if (ids.length === 0) return [];
	return db.select({ userId: user.id, name: user.name }).from(user).where(inArray(user.id, ids));
}

/** The teams a user belongs to, and those they coach. */
export async function listForUser(db: Db, userId: string) {
	const memberCount = db
		.select({ teamId: membership.teamId, n: count().as('n') })
		.from(membership)
		.groupBy(membership.teamId)
		.as('member_count');
	const [asMember, asCoach, waiting] = await Promise.all([
		db
			.select({ id: team.id, name: team.name, memberCount: memberCount.n })
			.from(membership)
			.innerJoin(team, eq(team.id, membership.teamId))
			.innerJoin(memberCount, eq(memberCount.teamId, team.id))
			.where(eq(membership.userId, userId))
			.orderBy(asc(team.name)),
		db
			.select({ id: team.id, name: team.name, memberCount: memberCount.n })
			.from(coaching)
			.innerJoin(team, eq(team.id, coaching.teamId))
			.leftJoin(memberCount, eq(memberCount.teamId, team.id))
			.where(and(eq(coaching.userId, userId), eq(coaching.status, 'active')))
			.orderBy(asc(team.name)),
		// A coach who accepted an invitation sees the team's name only, while the team decides.
		db
			.select({ id: team.id, name: team.name })
			.from(coaching)
			.innerJoin(team, eq(team.id, coaching.teamId))
			.where(and(eq(coaching.userId, userId), eq(coaching.status, 'pending')))
			.orderBy(asc(team.name))
	]);
	return {
		member: asMember,
		coach: asCoach.map((t) => ({ ...t, memberCount: t.memberCount ?? 0 })),
		pendingCoach: waiting
	};
}

export async function updateProfile(
	db: Db,
	input: { teamId: string; userId: string; employment?: Employment } & MemberProfile
): Promise<void> {
	await db
		.update(membership)
		.set({
			profession: input.profession,
			contractMinutes: input.contractMinutes,
			...(input.employment === undefined ? {} : { employment: input.employment })
		})
		.where(and(eq(membership.teamId, input.teamId), eq(membership.userId, input.userId)));
}

/** A member leaves. The team and its history stay, even when nobody is left in it. */
export async function leave(db: Db, input: { teamId: string; userId: string }): Promise<void> {
	await db
		.delete(membership)
		.where(and(eq(membership.teamId, input.teamId), eq(membership.userId, input.userId)));
}
