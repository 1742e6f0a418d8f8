import { formatClock, formatDuration } from '$lib/domain/format';
import type { RuleChange, RuleKey, SwapNotice } from '$lib/domain/team-rules';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';

type Locale = 'fr' | 'en';

const LABELS: Record<RuleKey, (i: object, o: { locale: Locale }) => string> = {
	meeting: m.rule_meeting,
	maxCarersPerClient: m.rule_maxCarersPerClient,
	swapNotice: m.rule_swapNotice,
	asyncDeadlineDays: m.rule_asyncDeadlineDays,
	joining: m.rule_joining,
	pulseThreshold: m.rule_pulseThreshold
};

const HELP: Record<RuleKey, () => string> = {
	meeting: m.rule_help_meeting,
	maxCarersPerClient: m.rule_help_maxCarersPerClient,
	swapNotice: m.rule_help_swapNotice,
	asyncDeadlineDays: m.rule_help_asyncDeadlineDays,
	joining: m.rule_help_joining,
	pulseThreshold: m.rule_help_pulseThreshold
};

/** The rule's name, in the reader's language (or the one asked for). */
export function ruleLabel(key: RuleKey, locale: Locale = getLocale()): string {
	return LABELS[key]({}, { locale });
}

/** What the rule does and its bounds. */
export function ruleHelp(key: RuleKey): string {
	return HELP[key]();
}

const clock = (minutes: number, locale: Locale) =>
	formatClock(Math.floor(minutes / 60), minutes % 60, locale);

const DAYS = [m.day_1, m.day_2, m.day_3, m.day_4, m.day_5, m.day_6, m.day_7];

/** `Mardi` / `Tuesday`: an ISO weekday (1 Monday … 7 Sunday). */
export function weekdayName(weekday: number, locale: Locale = getLocale()): string {
	return (DAYS[weekday - 1] ?? DAYS[0]!)({}, { locale });
}

/** `jusqu’à la veille, 18 h` / `up to 2 h before the visit`. */
export function swapNoticeText(notice: SwapNotice, locale: Locale = getLocale()): string {
	return notice.kind === 'day-before'
		? m.rule_value_swap_day_before({ time: clock(notice.at, locale) }, { locale })
		: m.rule_value_swap_before({ duration: formatDuration(notice.minutes, locale) }, { locale });
}

/** A rule's value as a sentence fragment. */
export function ruleValueText(rule: RuleChange, locale: Locale = getLocale()): string {
	const options = { locale };
	switch (rule.key) {
		case 'meeting':
			return m.rule_value_meeting(
				{ day: weekdayName(rule.value.weekday, locale), time: clock(rule.value.start, locale) },
				options
			);
		case 'maxCarersPerClient':
			return m.rule_value_carers({ count: rule.value }, options);
		case 'swapNotice':
			return swapNoticeText(rule.value, locale);
		case 'asyncDeadlineDays':
			return m.rule_value_days({ count: rule.value }, options);
		case 'joining':
			return rule.value === 'consent'
				? m.rule_value_joining_consent({}, options)
				: m.rule_value_joining_invitation({}, options);
		case 'pulseThreshold':
			return m.rule_value_answers({ count: rule.value }, options);
	}
}

/** The title of a decision changing a rule, in the team's language. */
export function ruleChangeTitle(rule: RuleChange, locale: Locale = 'fr'): string {
	return m.rules_change_title(
		{ rule: ruleLabel(rule.key, locale), value: ruleValueText(rule, locale) },
		{ locale }
	);
}

/** What an adopted rule change does, as a sentence. */
export function ruleChangeSummary(rule: RuleChange, locale: Locale = getLocale()): string {
	return m.rules_change_summary(
		{ rule: ruleLabel(rule.key, locale), value: ruleValueText(rule, locale) },
		{ locale }
	);
}
