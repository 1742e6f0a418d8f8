import type { MoveRefusal, ShownState } from '$lib/domain/kaizen';
import type { VersionStatus } from '$lib/domain/care-standard';
import { m } from '$lib/paraglide/messages';

const states: Record<ShownState, () => string> = {
	open: m.kaizen_state_open,
	testing: m.kaizen_state_testing,
	proposed: m.kaizen_state_proposed,
	adopted: m.kaizen_state_adopted,
	dropped: m.kaizen_state_dropped
};

/** A card's state, in the reader's language. */
export function kaizenStateLabel(state: ShownState): string {
	return states[state]();
}

const refusals: Record<
	MoveRefusal | 'no-card' | 'meeting-not-open' | 'client-data' | 'no-lesson' | 'board-full',
	() => string
> = {
	'problem-required': m.kaizen_refusal_problem,
	'test-required': m.kaizen_refusal_test,
	'check-date-required': m.kaizen_refusal_check_date,
	'result-required': m.kaizen_refusal_result,
	'not-testing': m.kaizen_refusal_not_testing,
	'same-state': m.kaizen_refusal_same_state,
	adopted: m.kaizen_refusal_adopted,
	'no-card': m.kaizen_refusal_no_card,
	'meeting-not-open': m.kaizen_refusal_meeting,
	'client-data': m.kaizen_refusal_client_data,
	'no-lesson': m.kaizen_refusal_no_lesson,
	'board-full': m.kaizen_refusal_board_full
};

/** Why a card move, an adoption, a lesson or a copy was refused, in words. */
export function kaizenRefusalText(reason: string): string {
	return (refusals[reason as keyof typeof refusals] ?? m.kaizen_refusal_no_card)();
}

const versionStatuses: Record<VersionStatus, () => string> = {
	current: m.standard_status_current,
	earlier: m.standard_status_earlier,
	proposed: m.standard_status_proposed,
	'not-adopted': m.standard_status_not_adopted
};

export function versionStatusLabel(status: VersionStatus): string {
	return versionStatuses[status]();
}
