import type { Absence } from './absences';
import { overlapsWork } from './absences';
import type { Qualification } from './caseload';
import {
	neededQualification,
	qualifies,
	type RotaClient,
	type RotaMember,
	type Shift,
	type Visit
} from './rota';
import { scheduleOf, type FitRefusal } from './rota-plan';
import { swapClosesAt, type SwapNotice } from './team-rules';
import { wallClockToInstant } from './time-zone';

/**
 * Swaps between colleagues, with no manager: a member offers one of their visits; any colleague
 * takes it, and the rota changes at once if the taker breaks no hard rule by taking it. How late
 * before the visit a swap may still happen is a team rule (set by a decision of the team).
 */

/** Why a member may not take a visit; each one reads as a sentence (src/lib/i18n/rota-take.ts). */
export type TakeRefusal =
	| 'not-offered'
	| 'own-visit'
	| 'too-late'
	| 'started'
	| 'qualification'
	| 'absent'
	| 'refused-by-client'
	| FitRefusal;

export interface SwapContext {
	monday: string;
	members: readonly RotaMember[];
	clients: readonly RotaClient[];
	absences: readonly Absence[];
	visits: readonly Visit[];
	shifts: readonly Shift[];
	previous?: { visits: readonly Visit[]; shifts: readonly Shift[] };
	travel?: (from: string, to: string) => number;
	/** The team's rule (team-rules.ts): when a swap closes before the visit. */
	notice: SwapNotice;
}

/** Whether a visit is up for taking: offered by its carer, or to cover since its carer fell sick. */
export function takeable(visit: Visit): 'offered' | 'to-cover' | null {
	if (visit.offer != null && visit.carerId === visit.offer.by) return 'offered';
	if (visit.cover != null && visit.carerId === null) return 'to-cover';
	return null;
}

/**
 * Whether `takerId` may take the visit now (offered, or to cover); the reason when not. An offered
 * visit keeps the team's notice; a visit to cover is same-day re-planning, so only one already
 * started is too late. Then the hard rules, as for planning: qualification, absence, the client's
 * refusal, and the taker's own week (overlap with travel, rest, days in a row, the fortnight).
 */
export function canTake(
	ctx: SwapContext,
	input: { visit: Visit; takerId: string; now: Date }
): { ok: true } | { ok: false; reason: TakeRefusal; needs?: Qualification } {
	const { visit, takerId, now } = input;
	const kind = takeable(visit);
	if (kind === null) return { ok: false, reason: 'not-offered' };
	if (takerId === visit.carerId || takerId === visit.cover?.from)
		return { ok: false, reason: 'own-visit' };
	const startsAt = wallClockToInstant(visit.date, visit.start).getTime();
	if (startsAt <= now.getTime()) return { ok: false, reason: 'started' };
	if (kind === 'offered' && now.getTime() > swapClosesAt(ctx.notice, visit.date, visit.start))
		return { ok: false, reason: 'too-late' };
	const taker = ctx.members.find((m) => m.id === takerId);
	const client = ctx.clients.find((c) => c.id === visit.clientId);
	const needs = neededQualification(visit, client);
	if (taker === undefined || !qualifies(taker.profession, needs))
		return { ok: false, reason: 'qualification', needs };
	if (
		ctx.absences.some(
			(a) => a.memberId === takerId && overlapsWork(a, visit.date, visit.start, visit.minutes)
		)
	)
		return { ok: false, reason: 'absent' };
	if (client?.refusedCarerIds.includes(takerId) === true)
		return { ok: false, reason: 'refused-by-client' };
	// Everyone's week as it would be without this visit, then: does it fit the taker?
	const schedule = scheduleOf({ ...ctx, visits: ctx.visits.filter((v) => v.id !== visit.id) });
	const broken = schedule.whyNot(taker, visit, client?.sector ?? '', ctx.previous !== undefined);
	if (broken !== null) return { ok: false, reason: broken };
	return { ok: true };
}
