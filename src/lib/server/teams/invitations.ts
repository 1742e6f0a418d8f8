import { sha256 } from '@oslojs/crypto/sha2';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { coaching, invitation, membership, team, user } from '$lib/server/db/schema';
import { newId, randomToken } from '$lib/server/auth/random';
import * as rules from '$lib/server/governance/rules';
import type { MemberProfile } from './teams';
import { DAY_MS } from '$lib/domain/week';

const INVITATION_TTL_MS = 7 * DAY_MS;

export type InvitationKind = 'member' | 'coach';

function hashToken(token: string): Uint8Array {
	return sha256(new TextEncoder().encode(token));
}

/** Any member creates a single-use link valid for 7 days. The token is shown once, never stored. */
export async function create(
	db: Db,
	input: { teamId: string; kind: InvitationKind; createdBy: string; now?: Date }
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomToken(20);
	const now = input.now ?? new Date();
	const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
	await db.insert(invitation).values({
		id: newId(),
		teamId: input.teamId,
		kind: input.kind,
		tokenHash: hashToken(token),
		createdBy: input.createdBy,
		createdAt: now,
		expiresAt
	});
	return { token, expiresAt };
}

export type InvitationView =
	| {
			status: 'open';
			kind: InvitationKind;
			teamId: string;
			teamName: string;
			invitedBy: string | null;
			expiresAt: Date;
	  }
	| { status: 'used' | 'expired' };

/** What an invitation link leads to, or null for a token that was never issued. */
export async function inspect(
	db: Db,
	token: string,
	now = new Date()
): Promise<InvitationView | null> {
	if (token.length === 0 || token.length > 64) return null;
	const rows = await db
		.select({
			kind: invitation.kind,
			teamId: invitation.teamId,
			teamName: team.name,
			invitedBy: user.name,
			expiresAt: invitation.expiresAt,
			usedAt: invitation.usedAt
		})
		.from(invitation)
		.innerJoin(team, eq(team.id, invitation.teamId))
		.leftJoin(user, eq(user.id, invitation.createdBy))
		.where(eq(invitation.tokenHash, hashToken(token)))
		.limit(1);
	const row = rows[0];
	if (row === undefined) return null;
	if (row.usedAt !== null) return { status: 'used' };
	if (row.expiresAt <= now) return { status: 'expired' };
	return {
		status: 'open',
		kind: row.kind,
		teamId: row.teamId,
		teamName: row.teamName,
		invitedBy: row.invitedBy,
		expiresAt: row.expiresAt
	};
}

export type AcceptResult =
	| {
			ok: true;
			teamId: string;
			kind: InvitationKind;
			invitedBy: string | null;
			/**
			 * A member who waits for the team's consent (its rule `joining`), with the profile they
			 * gave: not a member yet (teamChanges.proposeAdmission asks the team).
			 */
			waiting: MemberProfile | null;
	  }
	| { ok: false; reason: 'invalid' | 'already-member' | 'already-coach' | 'profile-missing' };

/**
 * Uses an invitation: the user joins as a member (with their profession and hours), or waits for
 * the team's consent when its rule asks for it (Nos règles), or starts coaching (pending the
 * team's decision). The link is locked, checked, claimed and used in one transaction, so it works exactly
 * once; a refusal leaves it usable for the person it was meant for.
 */
export async function accept(
	db: Db,
	input: { token: string; userId: string; profile: MemberProfile | null; now?: Date }
): Promise<AcceptResult> {
	const now = input.now ?? new Date();
	return db.transaction(async (tx): Promise<AcceptResult> => {
		const found = await tx
			.select({
				id: invitation.id,
				teamId: invitation.teamId,
				kind: invitation.kind,
				createdBy: invitation.createdBy
			})
			.from(invitation)
			.where(
				and(
					eq(invitation.tokenHash, hashToken(input.token)),
					isNull(invitation.usedAt),
					gt(invitation.expiresAt, now)
				)
			)
			.for('update')
			.limit(1);
		const link = found[0];
		if (link === undefined) return { ok: false, reason: 'invalid' };

		const [asMember, asCoach] = await Promise.all([
			tx
				.select({ userId: membership.userId })
				.from(membership)
				.where(and(eq(membership.teamId, link.teamId), eq(membership.userId, input.userId))),
			tx
				.select({ userId: coaching.userId })
				.from(coaching)
				.where(and(eq(coaching.teamId, link.teamId), eq(coaching.userId, input.userId)))
		]);
		if (asMember.length > 0) return { ok: false, reason: 'already-member' };
		if (asCoach.length > 0) return { ok: false, reason: 'already-coach' };

		let waiting: MemberProfile | null = null;
		if (link.kind === 'coach') {
			// Giving a coach access is the team's decision: until it is adopted, the coach waits.
			await tx
				.insert(coaching)
				.values({ teamId: link.teamId, userId: input.userId, since: now, status: 'pending' });
		} else if (input.profile === null) {
			return { ok: false, reason: 'profile-missing' };
		} else if ((await rules.current(tx, link.teamId)).joining === 'consent') {
			waiting = input.profile;
		} else {
			await tx.insert(membership).values({
				teamId: link.teamId,
				userId: input.userId,
				profession: input.profile.profession,
				contractMinutes: input.profile.contractMinutes,
				joinedAt: now
			});
		}
		await tx
			.update(invitation)
			.set({ usedAt: now, usedBy: input.userId })
			.where(eq(invitation.id, link.id));
		return { ok: true, teamId: link.teamId, kind: link.kind, invitedBy: link.createdBy, waiting };
	});
}

/** Open links of a team, newest first (their tokens are not recoverable; only their expiry shows). */
export async function listOpen(db: Db, teamId: string, now = new Date()) {
	return db
		.select({
			id: invitation.id,
			kind: invitation.kind,
			expiresAt: invitation.expiresAt,
			createdBy: user.name
		})
		.from(invitation)
		.leftJoin(user, eq(user.id, invitation.createdBy))
		.where(
			and(eq(invitation.teamId, teamId), isNull(invitation.usedAt), gt(invitation.expiresAt, now))
		)
		.orderBy(desc(invitation.createdAt));
}

/** Withdraws an open link of the team. */
export async function revoke(
	db: Db,
	input: { teamId: string; invitationId: string }
): Promise<void> {
	await db
		.delete(invitation)
		.where(
			and(
				eq(invitation.id, input.invitationId),
				eq(invitation.teamId, input.teamId),
				isNull(invitation.usedAt)
			)
		);
}
