import { and, eq } from 'drizzle-orm';
import { checkChange, type ChangeRefusal, type TeamChange } from '$lib/domain/team-change';
import { CLOSED_STAGES, type Decision } from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import { coaching, decision, user } from '$lib/server/db/schema';
import { todayIn } from '$lib/domain/time-zone';
import * as decisions from './decisions';
import * as rules from './rules';
import type { MemberProfile } from '$lib/server/teams/teams';
import { shapeOf } from './team-change-effects';
import { DAY_MS } from '$lib/domain/week';

/**
 * Team changes as decisions (see src/lib/domain/team-change.ts). A change is proposed like any
 * decision and carried out by the server in the transaction that adopts it, after a last check on
 * the team as it is then; the outcome is recorded as an event of the decision.
 */
export type ProposeChangeResult =
	{ ok: true; decision: Decision } | { ok: false; reason: ChangeRefusal };

/** A member proposes a change to the team: checked now, and again when it is adopted. */
export async function propose(
	db: Db,
	mirror: decisions.Mirror,
	input: Omit<Parameters<typeof decisions.propose>[2], 'change' | 'area'> & { change: TeamChange }
): Promise<ProposeChangeResult> {
	const refusal = checkChange(input.change, await shapeOf(db, input.teamId));
	if (refusal !== null) return { ok: false, reason: refusal };
	const d = await decisions.propose(db, mirror, { ...input, area: 'team' });
	return { ok: true, decision: d };
}

/**
 * Someone accepted an invitation and the team decides: a coach's access, or a member's arrival
 * when the team's rule asks for its consent (Nos règles). The member who invited them proposes it
 * (or the first member, if they left); the round runs between meetings for as long as the team's
 * rule says.
 */
async function proposeForInvitee(
	db: Db,
	mirror: decisions.Mirror,
	input: {
		teamId: string;
		invitedBy: string | null;
		title: string;
		driver: string;
		text: string;
		change: TeamChange;
		now?: Date;
	}
): Promise<Decision | null> {
	const now = input.now ?? new Date();
	const shape = await shapeOf(db, input.teamId);
	const proposerId =
		input.invitedBy !== null && shape.memberIds.includes(input.invitedBy)
			? input.invitedBy
			: (shape.memberIds[0] ?? null);
	if (proposerId === null) return null;
	const result = await propose(db, mirror, {
		teamId: input.teamId,
		proposerId,
		title: input.title,
		driver: input.driver,
		text: input.text,
		reviewDate: todayIn(undefined, new Date(now.getTime() + 180 * DAY_MS)),
		mode: 'async',
		deadline: await asyncDeadline(db, input.teamId, now),
		change: input.change,
		now
	});
	return result.ok ? result.decision : null;
}

/** A coach accepted an invitation: they wait, and the team decides. */
export async function proposeCoachAccess(
	db: Db,
	mirror: decisions.Mirror,
	input: {
		teamId: string;
		coachId: string;
		invitedBy: string | null;
		title: string;
		driver: string;
		text: string;
		now?: Date;
	}
): Promise<Decision | null> {
	const { coachId, ...rest } = input;
	const d = await proposeForInvitee(db, mirror, {
		...rest,
		change: { kind: 'grant-coach', coachId }
	});
	if (d === null) return null;
	await db
		.update(coaching)
		.set({ decisionId: d.id })
		.where(and(eq(coaching.teamId, input.teamId), eq(coaching.userId, coachId)));
	return d;
}

/**
 * A member accepted an invitation to a team whose rule asks for its consent to each arrival: they
 * wait, and join when the decision is adopted (team-change-effects.ts).
 */
export async function proposeAdmission(
	db: Db,
	mirror: decisions.Mirror,
	input: {
		teamId: string;
		invitedBy: string | null;
		invitee: { userId: string; name: string } & MemberProfile;
		title: string;
		driver: string;
		text: string;
		now?: Date;
	}
): Promise<Decision | null> {
	const { invitee, ...rest } = input;
	return proposeForInvitee(db, mirror, { ...rest, change: { kind: 'admit-member', ...invitee } });
}

/** When an async round proposed `now` closes: the team's rule (Nos règles), in days. */
export async function asyncDeadline(db: Db, teamId: string, now: Date): Promise<string> {
	const { asyncDeadlineDays } = await rules.current(db, teamId);
	return new Date(now.getTime() + asyncDeadlineDays * DAY_MS).toISOString();
}

/** Open team-change decisions and pending coaches, for the team page. */
export async function pending(db: Db, teamId: string) {
	const coaches = await db
		.select({ userId: coaching.userId, name: user.name, decisionId: coaching.decisionId })
		.from(coaching)
		.innerJoin(user, eq(user.id, coaching.userId))
		.where(and(eq(coaching.teamId, teamId), eq(coaching.status, 'pending')));
	const open = (
		await db
			.select({
				id: decision.id,
				title: decision.title,
				stage: decision.stage,
				state: decision.state
			})
			.from(decision)
			.where(and(eq(decision.teamId, teamId), eq(decision.area, 'team')))
	).filter(
		(d) => (d.state.change ?? null) !== null && !CLOSED_STAGES.has(d.stage as Decision['stage'])
	);
	return {
		coaches,
		open: open.map(({ state, ...rest }) => ({ ...rest, kind: state.change!.kind }))
	};
}
