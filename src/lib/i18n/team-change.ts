import type { TeamChange } from '$lib/domain/team-change';
import { m } from '$lib/paraglide/messages';

const REFUSALS: Record<string, () => string> = {
	'not-a-member': m['change_refusal_not-a-member'],
	'last-member': m['change_refusal_last-member'],
	'not-a-pending-coach': m['change_refusal_not-a-pending-coach'],
	'not-a-coach': m['change_refusal_not-a-coach'],
	'notice-out-of-range': m['change_refusal_notice-out-of-range'],
	'name-required': m['change_refusal_name-required'],
	'nobody-moves': m['change_refusal_nobody-moves'],
	'nobody-stays': m['change_refusal_nobody-stays'],
	'unknown-sector': m['change_refusal_unknown-sector'],
	'not-supported': m['change_refusal_not-supported'],
	invalid: m.change_refusal_invalid,
	'driver-required': m['change_refusal_driver-required']
};

/** Why a team change was refused, in the team's words. */
export function changeRefusalText(reason: string): string {
	return (REFUSALS[reason] ?? m.change_refusal_invalid)();
}

/** What an adopted change does, as a sentence. */
export function changeSummary(change: TeamChange, nameOf: (id: string) => string): string {
	switch (change.kind) {
		case 'remove-member':
			return m['change_summary_remove-member']({ name: nameOf(change.memberId) });
		case 'grant-coach':
			return m['change_summary_grant-coach']({ name: nameOf(change.coachId) });
		case 'revoke-coach':
			return m['change_summary_revoke-coach']({ name: nameOf(change.coachId) });
		case 'swap-notice':
			return m['change_summary_swap-notice']({ hours: `${change.minutes / 60}\u00a0h` });
		case 'split':
			return m.change_summary_split();
	}
}
