import type { Absence } from './absences';
import { overlapsWork } from './absences';
import {
	neededQualification,
	qualifies,
	type RotaClient,
	type RotaMember,
	type Shift,
	type Visit
} from './rota';
import { scheduleOf } from './rota-plan';
import { swapClosesAt, type SwapNotice } from './team-rules';

/**
 * Swaps between colleagues, with no manager: a member offers one of their visits; any colleague
 * takes it, and the rota changes at once if the taker breaks no hard rule by taking it. How late
 * before the visit a swap may still happen is a team rule (set by a decision of the team).
 */

export type TakeRefusal =
	| 'not-offered'
	| 'own-visit'
	| 'too-late'
	| 'qualification'
	| 'absent'
	| 'refused-by-client'
	| 'does-not-fit';

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

/** Whether `takerId` may take the offered visit now; the reason in the team's words when not. */
export function canTake(
	ctx: SwapContext,
	input: { visit: Visit; takerId: string; now: Date }
): { ok: true } | { ok: false; reason: TakeRefusal } {
	const { visit, takerId, now } = input;
	const offer = visit.offer ?? null;
	if (offer === null || visit.carerId !== offer.by) return { ok: false, reason: 'not-offered' };
	if (takerId === visit.carerId) return { ok: false, reason: 'own-visit' };
	if (now.getTime() > swapClosesAt(ctx.notice, visit.date, visit.start))
		return { ok: false, reason: 'too-late' };
	const taker = ctx.members.find((m) => m.id === takerId);
	const client = ctx.clients.find((c) => c.id === visit.clientId);
	if (taker === undefined || !qualifies(taker.profession, neededQualification(visit, client)))
		return { ok: false, reason: 'qualification' };
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
	if (!schedule.fits(taker, visit, client?.sector ?? '', ctx.previous !== undefined))
		return { ok: false, reason: 'does-not-fit' };
	return { ok: true };
}
