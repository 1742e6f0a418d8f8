import { RULE_KEYS, ruleChangeSchema, type RuleChange, type RuleKey } from './team-rules';

/**
 * The "Nos règles" form: the rule and its new value as typed (a day, a time, a number, a choice),
 * into the change a decision carries. Bounds are the rule's own (team-rules.ts).
 */
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const minutesOf = (time: string | undefined): number | null => {
	const match = TIME.exec(time ?? '');
	return match === null ? null : Number(match[1]) * 60 + Number(match[2]);
};

const number = (raw: string | undefined): number | null => {
	if (raw === undefined || raw.trim() === '') return null;
	const n = Number(raw.trim().replace(',', '.'));
	return Number.isFinite(n) ? n : null;
};

export const isRuleKey = (value: unknown): value is RuleKey =>
	typeof value === 'string' && (RULE_KEYS as readonly string[]).includes(value);

export type ParsedRule = { ok: true; rule: RuleChange } | { ok: false; field: string };

/** Reads a rule's new value from the form, or names the field that is wrong. */
export function parseRuleForm(form: FormData): ParsedRule {
	const value = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : undefined;
	};
	const key = value('rule');
	if (!isRuleKey(key)) return { ok: false, field: 'rule' };
	let candidate: unknown;
	let field = 'value';
	switch (key) {
		case 'meeting':
			candidate = { weekday: number(value('weekday')), start: minutesOf(value('time')) };
			field = minutesOf(value('time')) === null ? 'time' : 'weekday';
			break;
		case 'swapNotice': {
			const kind = value('swapKind');
			if (kind === 'day-before') {
				candidate = { kind, at: minutesOf(value('time')) };
				field = 'time';
			} else {
				const hours = number(value('hours'));
				candidate = { kind: 'before', minutes: hours === null ? null : Math.round(hours * 60) };
				field = 'hours';
			}
			break;
		}
		case 'joining':
			candidate = value('joining');
			break;
		default:
			candidate = number(value('value'));
	}
	const parsed = ruleChangeSchema.safeParse({ key, value: candidate });
	return parsed.success ? { ok: true, rule: parsed.data as RuleChange } : { ok: false, field };
}

/** Form values that show a rule's current value (to start a change from it). */
export function ruleFormValues(rule: RuleChange): Record<string, string> {
	const hhmm = (m: number) =>
		`${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
	switch (rule.key) {
		case 'meeting':
			return { weekday: String(rule.value.weekday), time: hhmm(rule.value.start) };
		case 'swapNotice':
			return rule.value.kind === 'day-before'
				? { swapKind: 'day-before', time: hhmm(rule.value.at), hours: '2' }
				: { swapKind: 'before', hours: String(rule.value.minutes / 60), time: '18:00' };
		case 'joining':
			return { joining: rule.value };
		default:
			return { value: String(rule.value) };
	}
}
