import { absencesDocument, readAbsences } from '$lib/collab/absences';
import { applyGenerated, putShift, putVisit } from '$lib/collab/rota';
import { readCards } from '$lib/collab/caseload';
import { assignmentRestrictions } from '$lib/domain/first-visit';
import { type RotaMember, type Shift, type Visit } from '$lib/domain/rota';
import {
	generateWeek,
	suggestAssignments,
	usualRestDays,
	type PatternClient,
	type PlanContext
} from '$lib/domain/rota-plan';
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
 * the suggestion, with a few deliberate problems for the checks to show: a carer in two places at
 * once, a short night's rest, a nurse's act given to a care aide, and visits left unassigned (a
 * couple in the steady team, which moves visits a little to cover them; more in the sliding one).
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
			const meeting: Shift[] = members.map((m) => ({
				id: newId(),
				memberId: m.id,
				kind: 'meeting',
				date: addDays(start, 1),
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
			const visits = planned.map((v) => (leftOpen.has(v.id) ? { ...v, carerId: null } : v));
			const problems = offset === 0 ? deliberateProblems(visits, members) : [];
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
	for (const nudge of NUDGES) {
		const open = new Set(visits.filter((v) => v.carerId === null).map((v) => v.id));
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
	return visits;
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
