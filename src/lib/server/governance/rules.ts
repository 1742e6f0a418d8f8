import { and, eq, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { Decision } from '$lib/domain/consent';
import { deriveRules, valuesOf, type DerivedRules, type TeamRules } from '$lib/domain/team-rules';
import type { Db } from '$lib/server/db';
import { decision, team } from '$lib/server/db/schema';

/**
 * The team's rules as its adopted decisions set them (src/lib/domain/team-rules.ts). Nothing is
 * stored beside the decisions: every reader derives the values from them, so a rule can only
 * change by a decision. A team made by a split keeps the rules its team had decided before.
 */
type Reader = Pick<Db, 'select'>;

/** Each rule with its value and the decision that set it. */
export async function derived(db: Reader, teamId: string): Promise<DerivedRules> {
	// One statement (it runs on every rota page): the team's own decisions, and those its parent
	// team had closed by the time of the split, when it was made by one.
	const split = (column: typeof team.splitFrom | typeof team.createdAt) =>
		sql`(select ${column} from ${team} where ${team.id} = ${teamId})`;
	const rows = await db
		.select({ state: decision.state })
		.from(decision)
		.where(
			and(
				sql`${decision.teamId} in (${teamId}, ${split(team.splitFrom)})`,
				or(eq(decision.teamId, teamId), lte(decision.closedAt, split(team.createdAt))),
				eq(decision.stage, 'adopted'),
				isNotNull(decision.closedAt),
				// Only decisions that set a rule, or review one (a review may end a rule's decision).
				sql`(${decision.state}->'change'->>'kind' in ('rule', 'swap-notice') or ${decision.state}->'review' is not null)`
			)
		);
	return deriveRules(rows.map((r) => r.state as Decision));
}

/** The values only, for the code that applies them (rota, meetings, pulse, rounds). */
export async function current(db: Reader, teamId: string): Promise<TeamRules> {
	return valuesOf(await derived(db, teamId));
}
