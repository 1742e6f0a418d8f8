import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PULSE_MIN_ANSWERS, summarisePulse } from '../../src/lib/domain/pulse';
import { checkChange, type TeamShape } from '../../src/lib/domain/team-change';
import {
	DEFAULT_RULES,
	defaultDeadline,
	deriveRules,
	isValidRuleChange,
	swapClosesAt,
	valuesOf,
	type RuleChange,
	type RuleDecision
} from '../../src/lib/domain/team-rules';
import { parseRuleForm, ruleFormValues } from '../../src/lib/domain/team-rules-form';

let n = 0;
const adopted = (
	rule: RuleChange | null,
	closedAt: string,
	more: Partial<RuleDecision> = {}
): RuleDecision => ({
	id: `d${++n}`,
	title: `Décision ${n}`,
	stage: 'adopted',
	closedAt,
	change: rule === null ? null : { kind: 'rule', rule },
	refersTo: null,
	review: null,
	...more
});

describe('deriveRules', () => {
	it('holds the defaults, from no decision, while the team has decided nothing', () => {
		const rules = deriveRules([]);
		expect(valuesOf(rules)).toEqual(DEFAULT_RULES);
		expect(Object.values(rules).every((r) => r.source === null)).toBe(true);
	});

	it('takes each rule from the latest adopted decision that set it, and names that decision', () => {
		const first = adopted({ key: 'maxCarersPerClient', value: 4 }, '2026-10-01T10:00:00Z');
		const later = adopted({ key: 'maxCarersPerClient', value: 2 }, '2026-11-01T10:00:00Z');
		const meeting = adopted(
			{ key: 'meeting', value: { weekday: 4, start: 9 * 60 } },
			'2026-10-15T10:00:00Z'
		);
		// Given out of order: adoption time decides, not the order of the list.
		const rules = deriveRules([later, meeting, first]);
		expect(rules.maxCarersPerClient).toEqual({
			value: 2,
			source: { decisionId: later.id, title: later.title, adoptedAt: later.closedAt }
		});
		expect(rules.meeting.value).toEqual({ weekday: 4, start: 9 * 60 });
		expect(rules.swapNotice).toEqual({ value: DEFAULT_RULES.swapNotice, source: null });
	});

	it('ignores decisions not adopted, and values out of bounds', () => {
		const rules = deriveRules([
			adopted({ key: 'asyncDeadlineDays', value: 3 }, '2026-10-01T10:00:00Z', { stage: 'round' }),
			adopted({ key: 'asyncDeadlineDays', value: 3 }, '2026-10-01T10:00:00Z', {
				stage: 'lapsed'
			}),
			adopted({ key: 'asyncDeadlineDays', value: 90 } as RuleChange, '2026-10-02T10:00:00Z'),
			adopted({ key: 'pulseThreshold', value: 3 } as RuleChange, '2026-10-02T10:00:00Z')
		]);
		expect(rules.asyncDeadlineDays.value).toBe(DEFAULT_RULES.asyncDeadlineDays);
		expect(rules.pulseThreshold.value).toBe(PULSE_MIN_ANSWERS);
	});

	it('reads the swap notice older records carried as a change of its own', () => {
		const old = adopted(null, '2026-09-01T10:00:00Z', {
			change: { kind: 'swap-notice', minutes: 360 }
		});
		expect(deriveRules([old]).swapNotice.value).toEqual({ kind: 'before', minutes: 360 });
	});

	it('goes back to the earlier value when a review ends the decision that set a rule', () => {
		const earlier = adopted({ key: 'joining', value: 'consent' }, '2026-09-01T10:00:00Z');
		const later = adopted({ key: 'joining', value: 'invitation' }, '2026-10-01T10:00:00Z');
		const kept = adopted(null, '2026-11-01T10:00:00Z', {
			refersTo: later.id,
			review: { outcome: 'keep' }
		});
		expect(deriveRules([earlier, later, kept]).joining.value).toBe('invitation');
		const ended = adopted(null, '2026-11-01T10:00:00Z', {
			refersTo: later.id,
			review: { outcome: 'end' }
		});
		expect(deriveRules([earlier, later, ended]).joining).toMatchObject({
			value: 'consent',
			source: { decisionId: earlier.id }
		});
		// An ending review still being decided ends nothing.
		expect(
			deriveRules([earlier, later, { ...ended, stage: 'round', closedAt: null }]).joining.value
		).toBe('invitation');
	});
});

describe('the bounds of each rule', () => {
	it('never lets the pulse threshold go below 5, whatever a decision says', () => {
		fc.assert(
			fc.property(fc.integer({ min: -100, max: 100 }), (value) => {
				const ok = isValidRuleChange({ key: 'pulseThreshold', value });
				expect(ok).toBe(value >= PULSE_MIN_ANSWERS && value <= 20);
				const rules = deriveRules([
					adopted({ key: 'pulseThreshold', value } as RuleChange, '2026-10-01T10:00:00Z')
				]);
				expect(rules.pulseThreshold.value).toBeGreaterThanOrEqual(PULSE_MIN_ANSWERS);
			})
		);
	});

	it('shows no pulse figure below the threshold, and never below 5 even if asked', () => {
		const answer = { energy: 'green', workload: 'amber', teamwork: 'green', decisions: 'red' };
		const answers = (k: number) => Array.from({ length: k }, () => ({ ...answer }) as never);
		expect(summarisePulse('2026-W48', answers(6), 7)).toBeNull();
		expect(summarisePulse('2026-W48', answers(7), 7)?.answers).toBe(7);
		expect(summarisePulse('2026-W48', answers(4), 2)).toBeNull();
		expect(summarisePulse('2026-W48', answers(5), 2)?.answers).toBe(5);
	});

	it('keeps each rule within its range', () => {
		const ok: RuleChange[] = [
			{ key: 'meeting', value: { weekday: 7, start: 23 * 60 + 55 } },
			{ key: 'maxCarersPerClient', value: 1 },
			{ key: 'maxCarersPerClient', value: 10 },
			{ key: 'swapNotice', value: { kind: 'before', minutes: 0 } },
			{ key: 'swapNotice', value: { kind: 'before', minutes: 48 * 60 } },
			{ key: 'swapNotice', value: { kind: 'day-before', at: 18 * 60 } },
			{ key: 'asyncDeadlineDays', value: 30 },
			{ key: 'joining', value: 'consent' },
			{ key: 'pulseThreshold', value: 20 }
		];
		for (const rule of ok) expect(isValidRuleChange(rule), JSON.stringify(rule)).toBe(true);
		const refused = [
			{ key: 'meeting', value: { weekday: 0, start: 600 } },
			{ key: 'meeting', value: { weekday: 2, start: 24 * 60 } },
			{ key: 'meeting', value: { weekday: 2, start: 601 } },
			{ key: 'maxCarersPerClient', value: 0 },
			{ key: 'maxCarersPerClient', value: 2.5 },
			{ key: 'swapNotice', value: { kind: 'before', minutes: 48 * 60 + 1 } },
			{ key: 'swapNotice', value: { kind: 'day-before', at: -5 } },
			{ key: 'asyncDeadlineDays', value: 0 },
			{ key: 'joining', value: 'anyone' },
			{ key: 'pulseThreshold', value: 4 },
			{ key: 'meetingDay', value: 2 }
		];
		for (const rule of refused) expect(isValidRuleChange(rule), JSON.stringify(rule)).toBe(false);
		const shape: TeamShape = { memberIds: ['a'], coaches: [], sectors: [], roles: [] };
		expect(checkChange({ kind: 'rule', rule: ok[1]! }, shape)).toBeNull();
		expect(checkChange({ kind: 'rule', rule: refused[3] as RuleChange }, shape)).toBe(
			'rule-out-of-range'
		);
	});
});

describe('applying the rules', () => {
	it('closes a swap a given time before the visit, or at a time on the day before', () => {
		// 8:00 Paris on 2 December 2026 is 7:00 UTC.
		expect(
			new Date(swapClosesAt({ kind: 'before', minutes: 120 }, '2026-12-02', 8 * 60)).toISOString()
		).toBe('2026-12-02T05:00:00.000Z');
		expect(
			new Date(
				swapClosesAt({ kind: 'day-before', at: 18 * 60 }, '2026-12-02', 8 * 60)
			).toISOString()
		).toBe('2026-12-01T17:00:00.000Z');
	});

	it('proposes an async round’s deadline the team’s number of days ahead', () => {
		expect(defaultDeadline({ asyncDeadlineDays: 7 }, '2026-12-03')).toBe('2026-12-10T18:00');
	});
});

describe('parseRuleForm', () => {
	const form = (entries: Record<string, string>) => {
		const data = new FormData();
		for (const [k, v] of Object.entries(entries)) data.append(k, v);
		return data;
	};

	it('reads each rule’s value as typed, and gives back the form values of a rule', () => {
		const rules: RuleChange[] = [
			{ key: 'meeting', value: { weekday: 2, start: 13 * 60 + 30 } },
			{ key: 'swapNotice', value: { kind: 'day-before', at: 18 * 60 } },
			{ key: 'swapNotice', value: { kind: 'before', minutes: 90 } },
			{ key: 'maxCarersPerClient', value: 4 },
			{ key: 'joining', value: 'consent' },
			{ key: 'pulseThreshold', value: 6 }
		];
		for (const rule of rules)
			expect(parseRuleForm(form({ rule: rule.key, ...ruleFormValues(rule) }))).toEqual({
				ok: true,
				rule
			});
	});

	it('names the field that is wrong', () => {
		expect(parseRuleForm(form({ rule: 'nope' }))).toEqual({ ok: false, field: 'rule' });
		expect(parseRuleForm(form({ rule: 'meeting', weekday: '2', time: '25:00' }))).toEqual({
			ok: false,
			field: 'time'
		});
		expect(parseRuleForm(form({ rule: 'pulseThreshold', value: '4' }))).toEqual({
			ok: false,
			field: 'value'
		});
		expect(parseRuleForm(form({ rule: 'swapNotice', swapKind: 'before', hours: '49' }))).toEqual({
			ok: false,
			field: 'hours'
		});
	});
});
