import type { TeamChange } from '$lib/domain/team-change';
import { elision } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { ruleChangeSummary, ruleChangeTitle } from './team-rules';

const REFUSALS: Record<string, () => string> = {
	'not-a-member': m['change_refusal_not-a-member'],
	'already-member': m.change_refusal_already_member,
	'last-member': m['change_refusal_last-member'],
	'not-a-pending-coach': m['change_refusal_not-a-pending-coach'],
	'not-a-coach': m['change_refusal_not-a-coach'],
	'notice-out-of-range': m['change_refusal_notice-out-of-range'],
	'name-required': m['change_refusal_name-required'],
	'nobody-moves': m['change_refusal_nobody-moves'],
	'nobody-stays': m['change_refusal_nobody-stays'],
	'unknown-sector': m['change_refusal_unknown-sector'],
	'not-past-split-point': m['change_refusal_not-past-split-point'],
	'not-supported': m['change_refusal_not-supported'],
	'rule-out-of-range': m['change_refusal_rule-out-of-range'],
	'role-invalid': m['change_refusal_role-invalid'],
	'no-such-role': m['change_refusal_no-such-role'],
	'role-name-taken': m['change_refusal_role-name-taken'],
	invalid: m.change_refusal_invalid,
	'driver-required': m['change_refusal_driver-required']
};

/** Why a team change was refused, in the team's words. */
export function changeRefusalText(reason: string): string {
	return (REFUSALS[reason] ?? m.change_refusal_invalid)();
}

/** `Aïcha, Bruno et Chloé`: names (or sectors) as a sentence says them, in a language. */
function formatList(items: readonly string[], locale: 'fr' | 'en' = getLocale()): string {
	return new Intl.ListFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
		style: 'long',
		type: 'conjunction'
	}).format(items);
}

/** What an adopted change does, as a sentence (in the reader's language, or the one asked for). */
export function changeSummary(
	change: TeamChange,
	nameOf: (id: string) => string,
	locale: 'fr' | 'en' = getLocale()
): string {
	const options = { locale };
	switch (change.kind) {
		case 'admit-member':
			return m.change_summary_admit_member({ name: change.name }, options);
		case 'remove-member':
			return m['change_summary_remove-member']({ name: nameOf(change.memberId) }, options);
		case 'grant-coach':
			return m['change_summary_grant-coach']({ name: nameOf(change.coachId) }, options);
		case 'revoke-coach':
			return m['change_summary_revoke-coach']({ name: nameOf(change.coachId) }, options);
		case 'swap-notice':
			return m['change_summary_swap-notice']({ hours: `${change.minutes / 60}\u00a0h` }, options);
		case 'rule':
			return ruleChangeSummary(change.rule, locale);
		case 'role-create':
			return m['change_summary_role-create']({ name: change.role.name }, options);
		case 'role-edit':
			return m['change_summary_role-edit']({ name: change.role.name }, options);
		case 'role-retire':
			return m['change_summary_role-retire']({ name: change.name }, options);
		case 'split': {
			const names = formatList(change.memberIds.map(nameOf), locale);
			const team = change.name.trim();
			return change.sectors.length === 0
				? m.change_summary_split_no_sectors({ team, names }, options)
				: m.change_summary_split(
						{
							team,
							names,
							sectors: formatList(change.sectors, locale),
							count: change.sectors.length
						},
						options
					);
		}
	}
}

/** The title of the decision that proposes a change to the team, in the team's language. */
export function changeTitle(
	change: TeamChange,
	nameOf: (userId: string) => string,
	locale: 'fr' | 'en' = 'fr'
): string {
	const options = { locale };
	switch (change.kind) {
		case 'admit-member':
			return m.rules_admit_title({ name: change.name }, options);
		case 'remove-member':
			return m.change_remove_title({ name: nameOf(change.memberId) }, options);
		case 'revoke-coach':
			return m.change_revoke_title(
				{ name: nameOf(change.coachId), ...elision(nameOf(change.coachId)) },
				options
			);
		case 'split':
			return m.change_split_title({ team: change.name.trim() }, options);
		case 'rule':
			return ruleChangeTitle(change.rule, locale);
		case 'role-create':
			return m.roles_create_title({ name: change.role.name }, options);
		case 'role-edit':
			return m.roles_edit_title({ name: change.role.name }, options);
		case 'role-retire':
			return m.roles_retire_title({ name: change.name }, options);
		default:
			return m.change_notice_title(
				{ hours: `${change.kind === 'swap-notice' ? change.minutes / 60 : 0}\u00a0h` },
				options
			);
	}
}

/** The decision that admits an invitee (when the team's rule asks for its consent), in the team's language. */
export function admissionProposal(
	name: string,
	locale: 'fr' | 'en' = 'fr'
): { title: string; driver: string; text: string } {
	const options = { locale };
	return {
		title: m.rules_admit_title({ name }, options),
		driver: m.rules_admit_driver({ name }, options),
		text: m.rules_admit_text({ name }, options)
	};
}

/** The decision that gives an invited coach access: title, driver and text, in the team's language. */
export function coachAccessProposal(
	coachName: string,
	locale: 'fr' | 'en' = 'fr'
): { title: string; driver: string; text: string } {
	const name = { name: coachName };
	const options = { locale };
	return {
		title: m.change_coach_title(name, options),
		driver: m.change_coach_driver(name, options),
		text: m.change_coach_text(name, options)
	};
}
