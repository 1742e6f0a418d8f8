import { absencesDocument, readAbsences } from '$lib/collab/absences';
import { applyGenerated, putShift, putVisit } from '$lib/collab/rota';
import { readCards } from '$lib/collab/caseload';
import { assignmentRestrictions } from '$lib/domain/first-visit';
import { type RotaMember, type Shift, type Visit } from '$lib/domain/rota';
import {
	generateWeek,
	suggestAssignments,
	usualRestDays,
	type PatternClient
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
 * once, a short night's rest, a nurse's act given to a care aide, and visits left unassigned.
 */
export async function writeDemoRotas(
	db: Db,
	collab: CollabServer,
	teamIds: string[],
	today = todayIn()
): Promise<void> {
	const monday = addDays(today, 1 - weekdayOf(today));
	for (const teamId of teamIds) {
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
			const suggestions = suggestAssignments({ ...ctx, visits: generated.visits });
			// Leave the last few open, for the team to see what "unassigned" looks like.
			const chosen = new Map(
				suggestions.slice(0, Math.max(0, suggestions.length - 4)).map((s) => [s.visitId, s.carerId])
			);
			const visits = generated.visits.map((v) =>
				chosen.has(v.id) ? { ...v, carerId: chosen.get(v.id)! } : v
			);
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
