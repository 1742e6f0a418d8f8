import { absencesDocument, readAbsences } from '$lib/collab/absences';
import { applyGenerated, putShift, putVisit } from '$lib/collab/rota';
import { readCards } from '$lib/collab/caseload';
import { overlapsWork } from '$lib/domain/absences';
import { assignmentRestrictions } from '$lib/domain/first-visit';
import { type RotaMember, type Shift, type Visit } from '$lib/domain/rota';
import {
	generateWeek,
	scheduleOf,
	suggestAssignments,
	usualRestDays,
	type PatternClient,
	type PlanContext
} from '$lib/domain/rota-plan';
import { hoursSpread, memberHours } from '$lib/domain/health';
import { todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { newId } from '$lib/server/auth/random';
import * as teams from '$lib/server/teams/teams';
import type { CollabServer } from '$lib/server/collab/server';
import { addDays, isoWeekOf, weekdayOf } from '$lib/domain/week';
import { formatDocumentName } from '$lib/domain/documents';

/** The name of the rota document of the week starting on `monday`. */
const rotaDocumentName = (teamId: string, monday: string) =>
	formatDocumentName({ kind: 'rota', teamId, ...isoWeekOf(monday) });

/**
 * The current and next week of each demo team, generated from the clients' patterns and filled by
 * the suggestion. The steady team plans as a steady team does: it moves visits a little to cover
 * them, evens out the hours against contracts, and breaks no rule; a couple of visits stay open
 * while the week is planned. The sliding team shows what the checks catch: more visits left open,
 * and this week a carer in two places at once, a short night's rest and a nurse's act given to a
 * care aide.
 */
export async function writeDemoRotas(
	db: Db,
	collab: CollabServer,
	teamIds: string[],
	today = todayIn()
): Promise<void> {
	const monday = addDays(today, 1 - weekdayOf(today));
	for (const [index, teamId] of teamIds.entries()) {
		// The second team is the one sliding (as in src/lib/server/seed/health.ts): it leaves open
		// what a steady team would have moved a little to cover.
		const steady = index % 2 === 0;
		// Sorted here, not by the database's collation, so the demo is the same on PGlite and Postgres.
		const members: RotaMember[] = (await teams.members(db, teamId))
			.map((p) => ({
				id: p.userId,
				name: p.name,
				profession: p.profession,
				employment: p.employment,
				contractMinutes: p.contractMinutes
			}))
			.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
		const { clients } = await collab.read(`team/${teamId}/caseload`, (doc) => ({
			clients: readCards(doc).map(({ card }): PatternClient => ({
				id: card.id,
				name: card.name,
				sector: card.sector,
				primaryCarerId: card.primaryCarerId,
				...assignmentRestrictions(card.firstVisit),
				refusedCarerIds: card.refusedCarerIds,
				active: card.status === 'active',
				visitPattern: card.visitPattern
			}))
		}));
		const absences = await collab.read(absencesDocument(teamId), readAbsences);
		let previous: { visits: Visit[]; shifts: Shift[] } | undefined;
		for (const offset of [0, 1]) {
			const start = addDays(monday, 7 * offset);
			// The team meeting, for everyone at work that day.
			const meetingDay = addDays(start, 1);
			const meeting: Shift[] = members
				.filter(
					(m) =>
						!absences.some(
							(a) => a.memberId === m.id && overlapsWork(a, meetingDay, 13 * 60 + 30, 90)
						)
				)
				.map((m) => ({
					id: newId(),
					memberId: m.id,
					kind: 'meeting',
					date: meetingDay,
					start: 13 * 60 + 30,
					minutes: 90,
					changedAt: null
				}));
			const restDays = new Map(members.map((m, i) => [m.id, usualRestDays(i)]));
			const ctx = {
				monday: start,
				members,
				clients,
				absences,
				visits: [] as Visit[],
				shifts: meeting,
				previous,
				restDays
			};
			const generated = generateWeek(ctx, new Set(), newId);
			const planned = steady ? planLikeATeam(ctx, generated.visits) : assign(ctx, generated.visits);
			// Leave some open, for the team to see what "unassigned" looks like: a couple in all in
			// the steady team (ordinary while a week is planned), a few more in the sliding one.
			const stillOpen = planned.filter((v) => v.carerId === null).length;
			const toLeave = steady ? Math.max(0, 2 - stillOpen) : 4;
			const assignedByGeneration = new Set(
				generated.visits.filter((v) => v.carerId !== null).map((v) => v.id)
			);
			const suggested = planned
				.filter((v) => v.carerId !== null && !assignedByGeneration.has(v.id))
				.sort((a, b) => a.date.localeCompare(b.date) || a.start - b.start);
			const leftOpen = new Set(suggested.slice(suggested.length - toLeave).map((v) => v.id));
			const left = planned.map((v) => (leftOpen.has(v.id) ? { ...v, carerId: null } : v));
			const visits = steady ? levelHours(ctx, left) : left;
			const problems = offset === 0 && !steady ? deliberateProblems(visits, members) : [];
			await collab.change(rotaDocumentName(teamId, start), (doc) => {
				applyGenerated(doc, { visits, keys: generated.keys });
				for (const shift of meeting) putShift(doc, shift);
				for (const visit of problems) putVisit(doc, visit);
			});
			previous = {
				visits: [...visits.filter((v) => !problems.some((p) => p.id === v.id)), ...problems],
				shifts: meeting
			};
		}
	}
}

/** Minutes a planner moves a visit nobody is free for, nearest first (mornings run until noon). */
const NUDGES = [15, -15, 30, -30, 45, -45, 60, -60];

/**
 * The suggestion's assignments, weekend first, then what a planner does with the visits still
 * open: moves each a little, to when a carer is free, as long as the rules still hold. A team that plans its week
 * this way leaves none open that could be covered (the demo's steady team must read steady).
 */
function planLikeATeam(ctx: PlanContext, generated: Visit[]): Visit[] {
	// The weekend first, as planners do: who works it decides who rests in the week around it.
	const weekend = assign(
		ctx,
		generated.filter((v) => v.carerId !== null || weekdayOf(v.date) >= 6)
	);
	const byId = new Map(weekend.map((v) => [v.id, v]));
	let visits = assign(
		ctx,
		generated.map((v) => byId.get(v.id) ?? v)
	);
	// A visit for two carers moves with its pair or not at all: only single visits are nudged.
	const pairs = new Set(ctx.clients.filter((c) => c.twoCarers).map((c) => c.id));
	for (const nudge of NUDGES) {
		const open = new Set(
			visits.filter((v) => v.carerId === null && !pairs.has(v.clientId)).map((v) => v.id)
		);
		if (open.size === 0) break;
		const moved = visits.map((v) =>
			open.has(v.id) && v.start + nudge >= 7 * 60 && v.start + nudge + v.minutes <= 21 * 60
				? { ...v, start: v.start + nudge }
				: v
		);
		const tried = assign(ctx, moved);
		visits = tried.map((v) =>
			open.has(v.id) && v.carerId === null ? visits.find((w) => w.id === v.id)! : v
		);
	}
	return swapRestDays(ctx, visits);
}

/**
 * What a planner does with a visit nobody can take because whoever is free that day would work
 * seven days in a row: gives that colleague another day of rest instead, handing that day's
 * visits to others who fit, then gives them the visit. The rules hold throughout.
 */
function swapRestDays(ctx: PlanContext, visits: Visit[]): Visit[] {
	const sectors = new Map(ctx.clients.map((c) => [c.id, c.sector]));
	const shiftDays = new Set(ctx.shifts.map((s) => `${s.memberId}|${s.date}`));
	const apply = (week: Visit[], chosen: { visitId: string; carerId: string }[]) => {
		const to = new Map(chosen.map((c) => [c.visitId, c.carerId]));
		return week.map((v) => (to.has(v.id) ? { ...v, carerId: to.get(v.id)! } : v));
	};
	/** The suggestion for these open visits only, among these members (the rest stay as they are). */
	const place = (week: Visit[], open: Visit[], members: readonly RotaMember[]) => {
		const ids = new Set(open.map((v) => v.id));
		return suggestAssignments({
			...ctx,
			members,
			visits: week.filter((v) => v.carerId !== null || ids.has(v.id))
		});
	};
	let current = visits;
	for (const visit of visits.filter((v) => v.carerId === null)) {
		const direct = place(current, [visit], ctx.members);
		if (direct.length > 0) {
			current = apply(current, direct);
			continue;
		}
		const schedule = scheduleOf({ ...ctx, visits: current });
		const blocked = ctx.members.filter(
			(m) =>
				schedule.whyNot(m, visit, sectors.get(visit.clientId) ?? '', ctx.previous !== undefined) ===
				'days-in-row'
		);
		swap: for (const member of blocked) {
			const theirs = current.filter((v) => v.carerId === member.id);
			const days = [...new Set(theirs.map((v) => v.date))]
				.filter((d) => d !== visit.date && !shiftDays.has(`${member.id}|${d}`))
				.sort(
					(a, b) =>
						theirs.filter((v) => v.date === a).length - theirs.filter((v) => v.date === b).length ||
						a.localeCompare(b)
				);
			for (const day of days) {
				const handed = theirs.filter((v) => v.date === day);
				const freed = current.map((v) =>
					handed.some((h) => h.id === v.id) ? { ...v, carerId: null } : v
				);
				const others = place(
					freed,
					handed,
					ctx.members.filter((m) => m.id !== member.id)
				);
				if (others.length < handed.length) continue;
				const covered = apply(freed, others);
				const mine = place(covered, [visit], [member]);
				if (mine.length === 0) continue;
				current = apply(covered, mine);
				break swap;
			}
		}
	}
	return current;
}

/** A planner evens out hours until the spread across members is within this (green is 15 %). */
const LEVEL_SPREAD = 0.1;

/**
 * What a planner does once the week is covered: hands visits from whoever works the most against
 * their contract to whoever works the least, as long as the rules still hold (the suggestion's
 * hard rules, and the usual rest days), until the spread of hours is small. The figure is the
 * health page's own (memberHours, hoursSpread). Visits still open stay open.
 */
function levelHours(ctx: PlanContext, visits: Visit[]): Visit[] {
	const clients = new Map(ctx.clients.map((c) => [c.id, c]));
	const measure = (week: Visit[]) => {
		const hours = memberHours({ ...ctx, visits: week });
		return { hours, spread: hoursSpread(ctx.members, hours) ?? 0 };
	};
	let current = visits;
	let { hours, spread } = measure(current);
	while (spread > LEVEL_SPREAD) {
		const ratio = new Map(hours.map((h) => [h.id, h.contract > 0 ? h.worked / h.contract : 0]));
		const ranked = ctx.members
			.filter(
				(m) => m.profession !== 'other' && (hours.find((h) => h.id === m.id)?.contract ?? 0) > 0
			)
			.sort((a, b) => ratio.get(b.id)! - ratio.get(a.id)!);
		const move = findMove(
			ctx,
			current,
			ranked,
			ratio,
			clients,
			(next) => measure(next).spread < spread
		);
		if (move === null) break;
		current = move;
		({ hours, spread } = measure(current));
	}
	return current;
}

/** The first hand-over, most loaded to least loaded, that keeps the rules and lowers the spread. */
function findMove(
	ctx: PlanContext,
	visits: Visit[],
	ranked: RotaMember[],
	ratio: ReadonlyMap<string, number>,
	clients: ReadonlyMap<string, PatternClient>,
	better: (next: Visit[]) => boolean
): Visit[] | null {
	const assigned = visits.filter((v) => v.carerId !== null);
	for (const from of ranked) {
		for (const to of [...ranked].reverse()) {
			if (ratio.get(to.id)! >= ratio.get(from.id)!) break;
			const worksOn = new Set([
				...assigned.filter((v) => v.carerId === to.id).map((v) => v.date),
				...ctx.shifts.filter((s) => s.memberId === to.id).map((s) => s.date)
			]);
			const sees = new Set(assigned.filter((v) => v.carerId === to.id).map((v) => v.clientId));
			// A planner hands over what costs least: not the client's own carer's visit, on a day
			// the colleague already works, to a client they already see.
			const cost = (v: Visit) =>
				(clients.get(v.clientId)?.primaryCarerId === from.id ? 4 : 0) +
				(worksOn.has(v.date) ? 0 : 2) +
				(sees.has(v.clientId) ? 0 : 1);
			// Never a new working day on the colleague's usual rest day.
			const resting = (date: string) =>
				!worksOn.has(date) && (ctx.restDays?.get(to.id)?.includes(weekdayOf(date)) ?? false);
			const candidates = assigned
				.filter((v) => v.carerId === from.id && !resting(v.date))
				.sort((a, b) => cost(a) - cost(b) || a.date.localeCompare(b.date) || a.start - b.start);
			for (const visit of candidates) {
				const others = assigned.filter((v) => v.id !== visit.id);
				const fits = suggestAssignments({
					...ctx,
					members: [to],
					visits: [...others, { ...visit, carerId: null }]
				});
				if (fits.length === 0) continue;
				const next = visits.map((v) => (v.id === visit.id ? { ...v, carerId: to.id } : v));
				if (better(next)) return next;
			}
		}
	}
	return null;
}

/** The suggestion applied to the week's open visits. */
function assign(ctx: PlanContext, visits: Visit[]): Visit[] {
	const chosen = new Map(suggestAssignments({ ...ctx, visits }).map((s) => [s.visitId, s.carerId]));
	return visits.map((v) => (chosen.has(v.id) ? { ...v, carerId: chosen.get(v.id)! } : v));
}

/** Three changes that break a rule, made on copies of generated visits. */
function deliberateProblems(visits: Visit[], members: RotaMember[]): Visit[] {
	const out: Visit[] = [];
	const assigned = visits.filter((v) => v.carerId !== null);
	const aide = members.find((m) => m.profession === 'care_aide');
	// 1. Two places at once: Wednesday's first morning visit also goes to the carer of the second.
	const wednesday = assigned
		.filter((v) => weekdayOf(v.date) === 3)
		.sort((a, b) => a.start - b.start);
	const [a, b] = [
		wednesday[0],
		wednesday.find(
			(v) => v.carerId !== wednesday[0]?.carerId && v.clientId !== wednesday[0]?.clientId
		)
	];
	if (a !== undefined && b !== undefined)
		out.push({ ...b, carerId: a.carerId, start: a.start + 10 });
	// 2. A nurse's act given to a care aide (Thursday).
	const nurseVisit = assigned.find(
		(v) => weekdayOf(v.date) === 4 && v.qualification === 'nurse' && !out.some((o) => o.id === v.id)
	);
	if (nurseVisit !== undefined && aide !== undefined) out.push({ ...nurseVisit, carerId: aide.id });
	// 3. A short night: Monday's latest evening visit given to whoever starts earliest on Tuesday.
	const salaried = (id: string | null) =>
		members.some((m) => m.id === id && m.employment === 'salaried');
	const tuesdayFirst = assigned
		.filter((v) => weekdayOf(v.date) === 2 && salaried(v.carerId))
		.sort((x, y) => x.start - y.start)[0];
	const mondayLast = assigned
		.filter(
			(v) =>
				weekdayOf(v.date) === 1 &&
				v.start >= 18 * 60 &&
				v.carerId !== tuesdayFirst?.carerId &&
				!out.some((o) => o.id === v.id)
		)
		.sort((x, y) => y.start - x.start)[0];
	if (tuesdayFirst !== undefined && mondayLast !== undefined)
		out.push({
			...mondayLast,
			carerId: tuesdayFirst.carerId,
			start: Math.max(mondayLast.start, 21 * 60)
		});
	return out;
}
