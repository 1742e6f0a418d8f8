import { and, asc, eq, gte, inArray, lt, lte } from 'drizzle-orm';
import { readWeek } from '$lib/collab/rota';
import type { Qualification } from '$lib/domain/caseload';
import {
	byAttention,
	computeHealth,
	CONTINUITY_WEEKS,
	FIGURE_KEYS,
	headline,
	teamSignals,
	weekBounds,
	type FigureKey,
	type FigureSignal,
	type HealthFigures,
	type HealthInputs,
	type Week
} from '$lib/domain/health';
import type { Shift, Visit } from '$lib/domain/rota';
import { todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import {
	client,
	coaching,
	decision,
	healthWeek,
	meeting,
	membership,
	role,
	rotaVisit,
	team
} from '$lib/server/db/schema';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import * as teamRoles from '$lib/server/governance/roles';
import { absencesBetween } from '$lib/server/rota/rota';
import { weekFigure } from './pulse';
import { addDays, addWeeks, mondayOf, weekOf } from '$lib/domain/week';

/**
 * A team's weekly health figures, gathered from the records (read models, decisions, roles,
 * meetings, the pulse), computed by the pure module (src/lib/domain/health.ts) and stored per ISO
 * week in `health_week`, so trends never recompute history:
 * - a closed week is computed once after it ended, then kept (a row computed while the week was
 *   still running is recomputed once, after its end);
 * - the current week is recomputed when read, if its row is older than CURRENT_FRESH_MS.
 */
export const CURRENT_FRESH_MS = 5 * 60_000;

/** Weeks shown: the current one and the eight before it. */
const WEEKS_SHOWN = 9;

export interface HealthOptions {
	/** Where the rota weeks' shifts are read (the collab server). */
	documents: DocumentReader;
	now?: Date;
	/**
	 * A stored current week gone stale: recompute it before answering (`inline`, the default), or
	 * answer with it and recompute it behind (`background`: the dashboard, so a hundred stale teams
	 * do not hold the page). Missing weeks and weeks closed since they were stored are always
	 * computed before answering.
	 */
	stale?: 'inline' | 'background';
}

/** Recomputations running behind (see HealthOptions.stale), one per team and week. */
const behind = new Map<string, Promise<void>>();

let draining: Promise<void> | null = null;
const queued: { key: string; run: () => Promise<unknown> }[] = [];

/** Recomputes a stale week behind the answer, one at a time, after the current request. */
function queueBehind(db: Db, teamId: string, week: string, options: HealthOptions): void {
	const key = `${teamId}|${week}`;
	if (behind.has(key)) return;
	let done!: () => void;
	behind.set(key, new Promise<void>((resolve) => (done = resolve)));
	queued.push({
		key,
		run: () =>
			refreshWeek(db, teamId, week, { ...options, now: new Date() })
				.catch((error: unknown) => console.error(`[health] ${key} failed:`, error))
				.finally(() => {
					behind.delete(key);
					done();
				})
	});
	draining ??= new Promise<void>((resolve) => setTimeout(resolve, 0)).then(async () => {
		for (let next = queued.shift(); next !== undefined; next = queued.shift()) await next.run();
		draining = null;
	});
}

/** Resolves once every recomputation running behind has finished (tests, shutdown). */
export async function settleHealth(): Promise<void> {
	while (behind.size > 0) await Promise.all([...behind.values()]);
}

/** Everything the figures of one week need, read from the records. */
export async function gatherInputs(
	db: Db,
	documents: DocumentReader,
	input: { teamId: string; week: string; now: Date }
): Promise<HealthInputs> {
	const { teamId, week, now } = input;
	const today = todayIn(undefined, now);
	const monday = mondayOf(week);
	if (monday === null) throw new Error(`not an ISO week: ${week}`);
	const sunday = addDays(monday, 6);
	const asOf = today < sunday ? today : sunday;
	const { end } = weekBounds(monday);
	const since = addDays(monday, -7 * (CONTINUITY_WEEKS - 1));
	const weeks = Array.from({ length: CONTINUITY_WEEKS }, (_, i) => addWeeks(week, -i));
	const previousWeek = addWeeks(week, -1);
	const [
		members,
		decisions,
		roles,
		assignments,
		clients,
		absences,
		visits,
		meetings,
		shiftsNow,
		shiftsBefore,
		pulse
	] = await Promise.all([
		db
			.select({
				id: membership.userId,
				profession: membership.profession,
				employment: membership.employment,
				contractMinutes: membership.contractMinutes
			})
			.from(membership)
			.where(and(eq(membership.teamId, teamId), lt(membership.joinedAt, new Date(end))))
			.orderBy(asc(membership.userId)),
		db
			.select({ state: decision.state, createdAt: decision.createdAt })
			.from(decision)
			.where(and(eq(decision.teamId, teamId), lt(decision.createdAt, new Date(end)))),
		db
			.select({ id: role.id, essential: role.essential, createdAt: role.createdAt })
			.from(role)
			.where(eq(role.teamId, teamId)),
		// A former member's assignment is left out; their terms still ran (and ended).
		teamRoles.assignments(db, teamId),
		db
			.select({
				id: client.id,
				sector: client.sector,
				nurseOnly: client.nurseOnly,
				twoCarers: client.twoCarers,
				refusedCarerIds: client.refusedCarerIds
			})
			.from(client)
			.where(eq(client.teamId, teamId)),
		absencesBetween(db, { teamId, from: addDays(monday, -7), to: sunday }),
		db
			.select()
			.from(rotaVisit)
			.where(and(eq(rotaVisit.teamId, teamId), inArray(rotaVisit.week, weeks))),
		db
			.select({ heldOn: meeting.heldOn, status: meeting.status })
			.from(meeting)
			.where(
				and(eq(meeting.teamId, teamId), gte(meeting.heldOn, monday), lte(meeting.heldOn, sunday))
			),
		documents.read(`team/${teamId}/rota/${week}`, (doc) => readWeek(doc).shifts),
		documents.read(`team/${teamId}/rota/${previousWeek}`, (doc) => readWeek(doc).shifts),
		// The team figure of a closed week; null while it runs or below 5 answers.
		weekFigure(db, teamId, week, now)
	]);
	const parisDay = (d: Date) => todayIn(undefined, d);
	return {
		week,
		monday,
		asOf,
		members,
		decisions: decisions.map((d) => ({ state: d.state, createdAt: d.createdAt.toISOString() })),
		roles: roles.map((r) => ({
			id: r.id,
			essential: r.essential,
			createdOn: parisDay(r.createdAt)
		})),
		assignments,
		clients,
		absences,
		visits: visits
			.filter((v) => v.date >= since && v.date <= sunday)
			.map((v): Visit => ({
				id: v.id,
				clientId: v.clientId,
				date: v.date,
				start: v.start,
				minutes: v.minutes,
				carerId: v.carerId,
				qualification: v.qualification as Qualification,
				changedAt: null
			})),
		shifts: [...shiftsNow, ...shiftsBefore] satisfies Shift[],
		meetings,
		pulse
	};
}

/** Computes one week from the records and stores it (replacing what was stored for that week). */
export async function refreshWeek(
	db: Db,
	teamId: string,
	week: string,
	options: HealthOptions
): Promise<{ figures: HealthFigures; computedAt: Date }> {
	const now = options.now ?? new Date();
	const inputs = await gatherInputs(db, options.documents, { teamId, week, now });
	const figures = computeHealth(inputs);
	await db
		.insert(healthWeek)
		.values({ teamId, week, figures, computedAt: now })
		.onConflictDoUpdate({
			target: [healthWeek.teamId, healthWeek.week],
			set: { figures, computedAt: now }
		});
	return { figures, computedAt: now };
}

/** The weeks shown, oldest first, ending with the week of `now`. */
export function weeksShown(now: Date): string[] {
	const current = weekOf(todayIn(undefined, now));
	return Array.from({ length: WEEKS_SHOWN }, (_, i) => addWeeks(current, i - (WEEKS_SHOWN - 1)));
}

interface Stored {
	week: string;
	figures: HealthFigures;
	computedAt: Date;
}

/**
 * Whether a stored row must be computed again: a running week gone stale, a week closed since it
 * was stored, a week missing since the team began. `weekEnd` is the instant the week ends.
 */
function needsRefresh(
	weekEnd: number,
	stored: Pick<Stored, 'computedAt'> | undefined,
	now: Date,
	teamCreatedAt: Date
): boolean {
	const current = now.getTime() < weekEnd;
	// Before the team existed there is nothing to compute.
	if (stored === undefined) return weekEnd > teamCreatedAt.getTime();
	if (current) return now.getTime() - stored.computedAt.getTime() > CURRENT_FRESH_MS;
	return stored.computedAt.getTime() < weekEnd;
}

/** Runs `work` over `items`, a few at a time (the database pool is small). */
async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>) {
	for (let i = 0; i < items.length; i += size)
		await Promise.all(items.slice(i, i + size).map(work));
}

/**
 * The stored weeks of some teams over `weeks`, brought up to date where needed (see needsRefresh):
 * one query for what is stored, then only what is missing or stale is computed.
 */
async function weeksOf(
	db: Db,
	teams: readonly { id: string; createdAt: Date }[],
	weeks: readonly string[],
	options: HealthOptions
): Promise<Map<string, Week[]>> {
	const now = options.now ?? new Date();
	const rows =
		teams.length === 0
			? []
			: await db
					.select({
						teamId: healthWeek.teamId,
						week: healthWeek.week,
						figures: healthWeek.figures,
						computedAt: healthWeek.computedAt
					})
					.from(healthWeek)
					.where(
						and(
							inArray(
								healthWeek.teamId,
								teams.map((t) => t.id)
							),
							inArray(healthWeek.week, [...weeks])
						)
					);
	const stored = new Map(rows.map((r) => [`${r.teamId}|${r.week}`, r]));
	// Week ends once per week, not per team: time-zone arithmetic is the slow part here.
	const ends = new Map(weeks.map((w) => [w, weekBounds(mondayOf(w)!).end]));
	const todo = teams.flatMap((t) =>
		weeks
			.filter((w) => needsRefresh(ends.get(w)!, stored.get(`${t.id}|${w}`), now, t.createdAt))
			.map((w) => ({ teamId: t.id, week: w }))
	);
	const later =
		options.stale === 'background'
			? todo.filter(({ teamId, week }) => {
					const row = stored.get(`${teamId}|${week}`);
					return row !== undefined && now.getTime() < ends.get(week)!;
				})
			: [];
	for (const { teamId, week } of later) queueBehind(db, teamId, week, options);
	const first = todo.filter((item) => !later.includes(item));
	await inBatches(first, 4, async ({ teamId, week }) => {
		const fresh = await refreshWeek(db, teamId, week, { ...options, now });
		stored.set(`${teamId}|${week}`, { teamId, week, ...fresh });
	});
	return new Map(
		teams.map((t) => [
			t.id,
			weeks.map((w) => ({ week: w, figures: stored.get(`${t.id}|${w}`)?.figures ?? null }))
		])
	);
}

export interface TeamHealth {
	/** Oldest first; the last is the current week. */
	weeks: Week[];
	signals: FigureSignal[];
	score: number;
	attention: FigureKey[];
}

/** One team's last nine weeks and their signals, for its health page. */
export async function teamHealth(
	db: Db,
	teamId: string,
	options: HealthOptions
): Promise<TeamHealth | null> {
	const [row] = await db
		.select({ id: team.id, createdAt: team.createdAt })
		.from(team)
		.where(eq(team.id, teamId));
	if (row === undefined) return null;
	const weeks = weeksShown(options.now ?? new Date());
	const weeksOfTeam = (await weeksOf(db, [row], weeks, options)).get(teamId)!;
	return { weeks: weeksOfTeam, ...teamSignals(weeksOfTeam) };
}

export interface DashboardRow {
	teamId: string;
	name: string;
	score: number;
	attention: FigureKey[];
	signals: FigureSignal[];
	/** The weeks of the trend lines, oldest first. */
	weeks: string[];
	/** Per figure, its headline value week by week (null: no value that week). */
	series: Record<FigureKey, (number | null)[]>;
}

/** The teams a coach follows (active coaching only). */
export async function coachedTeams(db: Db, coachId: string) {
	return db
		.select({ id: team.id, name: team.name, createdAt: team.createdAt })
		.from(coaching)
		.innerJoin(team, eq(team.id, coaching.teamId))
		.where(and(eq(coaching.userId, coachId), eq(coaching.status, 'active')));
}

/**
 * The coach's dashboard: every team with an active coaching row for this coach, one row each with
 * its signals and last nine weeks, most in need of attention first. Reads the stored weeks in one
 * query; a current week gone stale is shown as stored and recomputed behind; only a week missing
 * or closed since it was stored is computed before answering.
 */
export async function dashboard(
	db: Db,
	coachId: string,
	options: HealthOptions
): Promise<DashboardRow[]> {
	const teams = await coachedTeams(db, coachId);
	const weeks = weeksShown(options.now ?? new Date());
	const all = await weeksOf(db, teams, weeks, { stale: 'background', ...options });
	return byAttention(
		teams.map((t) => {
			const run = all.get(t.id)!;
			const series = Object.fromEntries(
				FIGURE_KEYS.map((k) => [
					k,
					run.map((w) => (w.figures === null ? null : headline(w.figures, k)))
				])
			) as Record<FigureKey, (number | null)[]>;
			return { teamId: t.id, name: t.name, ...teamSignals(run), weeks, series };
		})
	);
}

/**
 * The figures as every viewer of the health page gets them, the team and its coach alike: the ids
 * behind a figure (which decision, which role) are left out; members get them as links instead.
 */
export function shareable(figures: HealthFigures): HealthFigures {
	return {
		...figures,
		reviewsDue: { ...figures.reviewsDue, decisionIds: [] },
		roles: { ...figures.roles, emptyEssentialRoleIds: [] }
	};
}
