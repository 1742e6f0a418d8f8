import { and, eq } from 'drizzle-orm';
import { checkChange, type ChangeRefusal, type TeamShape } from '$lib/domain/team-change';
import type { Decision } from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import { client, coaching, membership, team } from '$lib/server/db/schema';

/**
 * Carrying out a team change (src/lib/domain/team-change.ts) inside the transaction that adopts its
 * decision (src/lib/server/decisions.ts), after a last check on the team as it is then.
 */
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export async function shapeOf(db: Db | Tx, teamId: string): Promise<TeamShape> {
	const [members, coaches, sectors] = await Promise.all([
		db.select({ id: membership.userId }).from(membership).where(eq(membership.teamId, teamId)),
		db
			.select({ id: coaching.userId, status: coaching.status })
			.from(coaching)
			.where(eq(coaching.teamId, teamId)),
		db.selectDistinct({ sector: client.sector }).from(client).where(eq(client.teamId, teamId))
	]);
	return {
		memberIds: members.map((m) => m.id),
		coaches,
		sectors: sectors.map((s) => s.sector).filter((s) => s !== '')
	};
}

export type CarriedOut = { done: true } | { done: false; reason: ChangeRefusal | 'not-supported' };

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
			await tx.update(team).set({ swapNoticeMinutes: change.minutes }).where(eq(team.id, teamId));
			return { done: true };
		case 'split':
			// Moving members, cards and rota weeks between live documents is not built yet.
			return { done: false, reason: 'not-supported' };
	}
}
