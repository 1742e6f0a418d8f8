import { and, eq, inArray } from 'drizzle-orm';
import { readWeek } from '$lib/collab/rota';
import { computeHealth, type HealthFigures } from '$lib/domain/health';
import { todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { healthWeek } from '$lib/server/db/schema';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import { gatherInputs } from '$lib/server/health/health';
import { weekFigure } from '$lib/server/health/pulse';
import { addWeeks, mondayOf, weekOf } from '$lib/domain/week';

/** Weeks of history the demo teams start with. */
const DEMO_HEALTH_WEEKS = 8;

/** A small deterministic wobble in [0, 1), so the demo is the same on every start and database. */
const wobble = (team: number, week: number, salt: number) => {
	const x = Math.sin(team * 97.1 + week * 13.7 + salt * 7.3) * 10_000;
	return x - Math.floor(x);
};

const r = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Eight past weeks of stored health figures for the demo teams, drawn around what the team's real
 * records give for the current week (its rota, contracts and roles), so the trend lines lead to
 * this week: the first team steady (every figure green, wobbling around this week's), the second
 * sliding (participation falling, unassigned visits, the spread of hours and the number of carers
 * per client rising) so the coach's dashboard has something to flag. The pulse is the demo pulse's
 * own team figure (run after writeDemoPulse). The current week itself is not written: it is
 * computed from the records when first read.
 */
export async function writeDemoHealth(
	db: Db,
	teamIds: string[],
	documents: DocumentReader,
	now = new Date()
): Promise<void> {
	const current = weekOf(todayIn(undefined, now));
	const monday = mondayOf(current)!;
	for (const [index, teamId] of teamIds.entries()) {
		// This week as its records stand: the rota read from its document (the read model may not
		// be projected yet while the demo is being written).
		const inputs = await gatherInputs(db, documents, { teamId, week: current, now });
		const rota = await documents.read(`team/${teamId}/rota/${current}`, readWeek);
		const base = computeHealth({
			...inputs,
			visits: [...inputs.visits.filter((v) => v.date < monday), ...rota.visits]
		});
		const sliding = index % 2 === 1;
		const weeks = Array.from({ length: DEMO_HEALTH_WEEKS }, (_, i) =>
			addWeeks(current, i - DEMO_HEALTH_WEEKS)
		);
		const pulses = await Promise.all(weeks.map((week) => weekFigure(db, teamId, week, now)));
		const rows = weeks.map((week, i) => {
			// i = 0 is eight weeks ago, i = 7 last week; `t` runs 0 → 1 over them.
			const t = i / (DEMO_HEALTH_WEEKS - 1);
			const w = (salt: number) => wobble(index, i, salt);
			/** Around this week's value: steady teams wobble, the sliding one climbs to it. */
			const near = (value: number, salt: number, from = 0.4) =>
				sliding ? value * (from + (1 - from) * t * t) : value * (0.9 + 0.2 * w(salt));
			const visits = Math.max(1, Math.round(base.rota.visits * (0.95 + 0.1 * w(1))));
			// The sliding team climbs to this week from a good start; the steady one stays near it.
			const unassigned = Math.min(
				visits,
				Math.round(
					sliding ? near(Math.max(base.rota.unassigned, 3), 2, 0.08) : near(base.rota.unassigned, 2)
				)
			);
			const members = base.members;
			const expected = members * (1 + Math.round(w(3)));
			const share = sliding ? 0.93 - t * 0.5 + w(4) * 0.04 : 0.86 + w(4) * 0.1;
			const answered = Math.min(expected, Math.round(expected * share));
			const contractMinutes = base.hours.contractMinutes;
			const worked = Math.round(base.hours.workedMinutes * (0.95 + 0.1 * w(5)));
			const visitShare = Math.min(1, (base.clientTime.share ?? 0.6) * (0.97 + 0.06 * w(6)));
			// The planner's term ended about a month ago (src/lib/server/seed-roles.ts).
			const termEnded = i >= DEMO_HEALTH_WEEKS - 4 ? base.roles.termsEnded : 0;
			const clients = Math.max(0, Math.round(base.clientsPerFte.clients * (0.95 + 0.1 * w(7))));
			const fte = base.clientsPerFte.fte;
			const figures: HealthFigures = {
				version: 1,
				week,
				members,
				participation: {
					rounds: expected === 0 ? 0 : expected / members,
					answered,
					expected,
					share: expected === 0 ? null : r(answered / expected)
				},
				decisionDays: {
					decided: 1 + Math.round(w(8)),
					medianDays: sliding ? r(8 + t * 22, 1) : r(6 + w(9) * 6, 1)
				},
				objections: { raised: Math.round(w(10) * 2), integrated: Math.round(w(11) * 1.4) },
				reviewsDue: {
					// Steady: a review falls due every other week and the next meeting takes it up.
					count: Math.min(
						base.reviewsDue.count,
						(sliding ? i >= DEMO_HEALTH_WEEKS - 2 : i % 2 === 1) ? 1 : 0
					),
					decisionIds: []
				},
				roles: {
					essential: base.roles.essential,
					essentialFilled: base.roles.essential - termEnded,
					emptyEssentialRoleIds: [],
					termsEnded: termEnded,
					maxPerMember: base.roles.maxPerMember
				},
				rota: {
					visits,
					assigned: visits - unassigned,
					coverage: r((visits - unassigned) / visits),
					unassigned
				},
				hours: {
					workedMinutes: worked,
					contractMinutes,
					ratio: contractMinutes === 0 ? null : r(worked / contractMinutes),
					spread: r(
						sliding
							? near(Math.max(base.hours.spread ?? 0.15, 0.15), 12, 0.5)
							: near(base.hours.spread ?? 0.1, 12)
					)
				},
				// A steady team plans its rest: none broken.
				restBreaches: sliding ? Math.round(t * 3) : 0,
				continuity: {
					clients,
					meanCarers: r(near(Math.max(base.continuity.meanCarers ?? 2, 2), 14, 0.7), 2)
				},
				clientsPerFte: { clients, fte, value: fte === 0 ? null : r(clients / fte, 2) },
				clientTime: {
					visitMinutes: Math.round(worked * visitShare),
					workedMinutes: worked,
					share: worked === 0 ? null : r(visitShare)
				},
				meetings: sliding && i === DEMO_HEALTH_WEEKS - 2 ? 0 : 1,
				pulse: pulses[i] ?? null
			};
			return { teamId, week, figures, computedAt: now };
		});
		await db.delete(healthWeek).where(
			and(
				eq(healthWeek.teamId, teamId),
				inArray(
					healthWeek.week,
					rows.map((row) => row.week)
				)
			)
		);
		await db.insert(healthWeek).values(rows);
	}
}
