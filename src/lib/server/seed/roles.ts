import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { role } from '$lib/server/db/schema';
import * as roles from '$lib/server/governance/roles';
import { addDays } from '$lib/domain/week';

/**
 * The demo team's roles: Buurtzorg's set, each held by someone; with `lapsedPlanner` (the sliding
 * team's), the planner's term ended last month with no election yet (a signal for the team and its
 * coach).
 */
export async function writeDemoRoles(
	db: Db,
	teamId: string,
	memberIds: string[],
	today: string,
	{ lapsedPlanner = true }: { lapsedPlanner?: boolean } = {}
): Promise<void> {
	await roles.addTemplates(db, teamId);
	const list = await db.select().from(role).where(eq(role.teamId, teamId));
	for (const [i, r] of list.sort((a, b) => a.name.localeCompare(b.name, 'fr')).entries()) {
		const memberId = memberIds[(i * 2) % memberIds.length]!;
		const lapsed = lapsedPlanner && r.templateKey === 'planner';
		const from = lapsed ? addDays(today, -(r.termMonths * 31 + 30)) : addDays(today, -60 - i * 10);
		await roles.assign(db, { roleId: r.id, memberId, from, termMonths: r.termMonths });
	}
}
