import { and, eq } from 'drizzle-orm';
import { absencesDocument, addAbsence } from '$lib/collab/absences';
import { markToCover, readWeek, takeIfAllowed } from '$lib/collab/rota';
import type { Visit } from '$lib/domain/rota';
import { sickFromNow, visitsToCover } from '$lib/domain/rota-cover';
import { canTake, takeable, type TakeRefusal } from '$lib/domain/rota-swap';
import { addDays, weekOf } from '$lib/domain/week';
import type { Qualification } from '$lib/domain/caseload';
import type { Db } from '$lib/server/db';
import { rotaTake } from '$lib/server/db/schema';
import { indexableKey } from '$lib/server/db/storable';
import type { CollabServer } from '$lib/server/collab/server';
import type { SwapNotice } from '$lib/domain/team-rules';
import * as teams from '$lib/server/teams/teams';
import { candidatesFor, swapContext, weekDoc } from './candidates';
import { tellColleagueSick, tellSwapTaken } from './tell';

/**
 * Same-day re-planning and swaps on the server (rules in src/lib/domain/rota-cover.ts and
 * rota-swap.ts): a sick call, and taking a visit that is offered or to cover, first come first
 * served. Both write the live documents through the collab server, so every open grid sees the
 * change at once.
 */

type Collab = Pick<CollabServer, 'read' | 'change'>;

export type SickRefusal = 'not-a-member';

/**
 * `memberId` is off sick from `now` to the end of today + `extraDays` (said by themselves, or by
 * `recordedBy` for a colleague who phoned in): a sickness absence on the team board, and their
 * visits in that window that have not started become to cover. The colleagues who could take each
 * one are told (tell.ts).
 */
export async function callInSick(
	db: Db,
	collab: Collab,
	input: { teamId: string; memberId: string; recordedBy: string; extraDays: number; now?: Date }
): Promise<{ ok: true; covered: number } | { ok: false; reason: SickRefusal }> {
	const now = input.now ?? new Date();
	const members = await teams.members(db, input.teamId);
	if (!members.some((m) => m.userId === input.memberId))
		return { ok: false, reason: 'not-a-member' };
	const absence = sickFromNow(input.memberId, now, input.extraDays);
	await collab.change(absencesDocument(input.teamId), (doc) => {
		addAbsence(doc, { ...absence, note: '' });
	});
	const weeks = new Set<string>();
	for (let day = absence.from; day <= absence.to; day = addDays(day, 1)) weeks.add(weekOf(day));
	const toCover: { week: string; visit: Visit; candidates: string[] }[] = [];
	for (const week of weeks) {
		let marked: Visit[] = [];
		await collab.change(weekDoc(input.teamId, week), (doc) => {
			marked = visitsToCover(readWeek(doc).visits, absence, now);
			markToCover(doc, marked, now);
		});
		if (marked.length === 0) continue;
		const found = await candidatesFor(db, collab, {
			teamId: input.teamId,
			week,
			visitIds: marked.map((v) => v.id),
			now
		});
		for (const { visit, candidates } of found.values()) toCover.push({ week, visit, candidates });
	}
	await tellColleagueSick(db, {
		teamId: input.teamId,
		memberId: input.memberId,
		recordedBy: input.recordedBy,
		toCover,
		now
	});
	return { ok: true, covered: toCover.length };
}

export type TakeOutcome =
	{ ok: true } | { ok: false; reason: TakeRefusal; needs?: Qualification; notice?: SwapNotice };

/**
 * A member takes a visit that is offered or to cover. First come, first served: the first claim
 * recorded for this offer or cover wins (`rota_take`, across instances), then the rules are checked
 * on the week as the document holds it and the visit changes hands in the same synchronous step.
 * A refused taker's claim is withdrawn, so the next one may still take it. The one who offered the
 * visit, or whose it was, is told (tell.ts).
 */
export async function take(
	db: Db,
	collab: Collab,
	input: { teamId: string; week: string; visitId: string; takerId: string; now?: Date }
): Promise<TakeOutcome> {
	const now = input.now ?? new Date();
	const name = weekDoc(input.teamId, input.week);
	const visit = (await collab.read(name, readWeek)).visits.find((v) => v.id === input.visitId);
	const kind = visit === undefined ? null : takeable(visit);
	if (visit === undefined || kind === null) return { ok: false, reason: 'not-offered' };
	const upSince = kind === 'offered' ? visit.offer!.at : visit.cover!.at;
	const from = kind === 'offered' ? visit.offer!.by : visit.cover!.from;
	const ctx = await swapContext(db, collab, input.teamId, input.week);
	// A visit's id and when it went up are whatever a member wrote: claimed as Postgres can hold
	// them (storable.ts).
	const claim = {
		teamId: input.teamId,
		visitId: indexableKey(visit.id),
		upSince: indexableKey(upSince)
	};
	const claimed = await db
		.insert(rotaTake)
		.values({ ...claim, takerId: input.takerId })
		.onConflictDoNothing()
		.returning({ takerId: rotaTake.takerId });
	if (claimed.length === 0) return { ok: false, reason: 'not-offered' };
	let verdict: ReturnType<typeof canTake> = { ok: false, reason: 'not-offered' };
	await collab.change(name, (doc) => {
		const still = readWeek(doc).visits.find((v) => v.id === visit.id);
		// Changed hands or was re-offered since the claim: not this offer any more.
		const sameUp =
			still !== undefined &&
			(kind === 'offered' ? still.offer?.at === upSince : still.cover?.at === upSince);
		verdict = sameUp
			? takeIfAllowed(doc, ctx, { visitId: visit.id, takerId: input.takerId, now })
			: { ok: false, reason: 'not-offered' };
	});
	const outcome = verdict as ReturnType<typeof canTake>;
	if (!outcome.ok) {
		await db
			.delete(rotaTake)
			.where(
				and(
					eq(rotaTake.teamId, claim.teamId),
					eq(rotaTake.visitId, claim.visitId),
					eq(rotaTake.upSince, claim.upSince)
				)
			);
		return { ...outcome, notice: ctx.notice };
	}
	await tellSwapTaken(db, {
		teamId: input.teamId,
		week: input.week,
		visit,
		offeredBy: from,
		takenBy: input.takerId,
		now
	});
	return { ok: true };
}
