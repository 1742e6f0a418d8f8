import { RULES } from '$lib/domain/rota-checks';
import type { SuggestionWhy } from '$lib/domain/rota-plan';
import type { TakeRefusal } from '$lib/domain/rota-swap';
import type { Qualification } from '$lib/domain/caseload';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { DEFAULT_RULES, type SwapNotice } from '$lib/domain/team-rules';
import { formatHours } from './format';
import { swapNoticeText } from './team-rules';

/**
 * Why a member may not take a visit, as one sentence in the reader's language: never the code.
 * `needs` is the qualification the visit needs (for 'qualification'), `notice` the team's swap
 * notice (for 'too-late'; the default rule when not given).
 */
export function takeRefusalText(refusal: {
	reason: TakeRefusal;
	needs?: Qualification | null;
	notice?: SwapNotice | null;
}): string {
	switch (refusal.reason) {
		case 'not-offered':
			return m.take_refused_not_offered();
		case 'own-visit':
			return m.take_refused_own_visit();
		case 'too-late':
			return m.take_refused_too_late({
				rule: swapNoticeText(refusal.notice ?? DEFAULT_RULES.swapNotice)
			});
		case 'started':
			return m.take_refused_started();
		case 'qualification':
			return refusal.needs === 'nurse'
				? m.take_refused_needs_nurse()
				: m.take_refused_needs_carer();
		case 'absent':
			return m.take_refused_absent();
		case 'refused-by-client':
			return m.take_refused_refused_by_client();
		case 'overlap':
			return m.take_refused_overlap();
		case 'travel':
			return m.take_refused_travel();
		case 'rest':
			return m.take_refused_rest({ hours: String(RULES.minRestMinutes / 60) });
		case 'days-in-row':
			return m.take_refused_days_in_row({ days: String(RULES.maxDaysInRow) });
		case 'fortnight-rest':
			return m.take_refused_fortnight_rest({ days: String(RULES.minRestDaysInFortnight) });
	}
}

/** Why a suggested carer: continuity first, then hours against the contract, then the rules kept. */
export function suggestionWhyText(why: SuggestionWhy): string {
	const parts: string[] = [];
	if (why.primary) parts.push(m.why_primary());
	else if (why.visitedLately > 0) parts.push(m.why_visited({ count: String(why.visitedLately) }));
	if (why.visitedThisWeek > 0) parts.push(m.why_this_week({ count: String(why.visitedThisWeek) }));
	if (why.minutesLeft !== null)
		parts.push(
			why.minutesLeft >= 0
				? m.why_hours_left({ hours: formatHours(why.minutesLeft) })
				: m.why_over_contract({ hours: formatHours(-why.minutesLeft) })
		);
	if (why.sameSector) parts.push(m.why_same_sector());
	parts.push(m.why_rules());
	return parts.join(getLocale() === 'fr' ? '\u00a0; ' : '; ');
}
