import { describe, expect, it } from 'vitest';
import { apply, newDecision, type Decision, type Move } from '../../src/lib/domain/consent';
import {
	byAttention,
	coefficientOfVariation,
	colourOf,
	computeHealth,
	figureSignal,
	headline,
	hoursSpread,
	median,
	memberHours,
	pulseRedShare,
	teamSignals,
	THRESHOLDS,
	FIGURE_KEYS,
	type HealthDecision,
	type HealthFigures,
	type HealthInputs,
	type HealthMember,
	type Week
} from '../../src/lib/domain/health';
import type { PulseFigure } from '../../src/lib/domain/pulse';
import type { Shift, Visit } from '../../src/lib/domain/rota';
import { formatWeek } from '../../src/lib/domain/week';

// ISO week 2026-W10: Monday 2 March to Sunday 8 March 2026 (Paris, UTC+1).
const WEEK = '2026-W10';
const MONDAY = '2026-03-02';
const SUNDAY = '2026-03-08';
/** An instant in the week, `day` days after Monday at `hour` (Paris). */
const at = (day: number, hour = 10) => new Date(Date.UTC(2026, 2, 2 + day, hour - 1)).toISOString();

const member = (id: string, hours = 35, extra: Partial<HealthMember> = {}): HealthMember => ({
	id,
	profession: 'nurse',
	employment: 'salaried',
	contractMinutes: hours * 60,
	...extra
});

function base(overrides: Partial<HealthInputs> = {}): HealthInputs {
	return {
		week: WEEK,
		monday: MONDAY,
		asOf: SUNDAY,
		members: [],
		decisions: [],
		roles: [],
		assignments: [],
		clients: [],
		absences: [],
		visits: [],
		shifts: [],
		meetings: [],
		pulse: null,
		...overrides
	};
}

let seq = 0;
const visit = (
	date: string,
	clientId: string,
	carerId: string | null,
	start = 9 * 60,
	minutes = 60
): Visit => ({
	id: `v${++seq}`,
	clientId,
	date,
	start,
	minutes,
	carerId,
	qualification: 'any',
	changedAt: null
});
const shift = (date: string, memberId: string, minutes: number, start = 13 * 60): Shift => ({
	id: `s${++seq}`,
	memberId,
	kind: 'office',
	date,
	start,
	minutes,
	changedAt: null
});

/** A decision taken through real moves of the consent state machine. */
function decide(
	input: {
		participants: string[];
		proposedAt: string;
		mode?: 'meeting' | 'async';
		deadline?: string;
		quorum?: number;
		reviewDate?: string;
		refersTo?: string;
		id?: string;
	},
	moves: [Move, string][]
): HealthDecision {
	let d: Decision = newDecision({
		id: input.id ?? `d${++seq}`,
		title: 't',
		driver: 'd',
		text: 'v1',
		area: 'other',
		reviewDate: input.reviewDate ?? '2027-01-01',
		proposerId: input.participants[0]!,
		participants: input.participants,
		mode: input.mode ?? 'meeting',
		deadline: input.deadline ?? null,
		quorum: input.quorum,
		refersTo: input.refersTo ?? null,
		now: new Date(input.proposedAt)
	});
	for (const [move, when] of moves) {
		const outcome = apply(d, move, new Date(when));
		if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
		d = outcome.decision;
	}
	return { state: d, createdAt: input.proposedAt };
}

const consent = (by: string, version = 1): Move => ({
	type: 'answer',
	by,
	version,
	kind: 'consent',
	reason: ''
});
const objection = (by: string, version = 1): Move => ({
	type: 'answer',
	by,
	version,
	kind: 'objection',
	reason: 'non'
});

describe('an empty week', () => {
	it('has no shares, no means and zero counts', () => {
		const f = computeHealth(base());
		expect(f).toMatchObject({
			week: WEEK,
			members: 0,
			participation: { rounds: 0, share: null },
			decisionDays: { decided: 0, medianDays: null },
			objections: { raised: 0, integrated: 0 },
			reviewsDue: { count: 0, decisionIds: [] },
			roles: { essential: 0, essentialFilled: 0, termsEnded: 0, maxPerMember: 0 },
			rota: { visits: 0, assigned: 0, coverage: null, unassigned: 0 },
			hours: { workedMinutes: 0, contractMinutes: 0, ratio: null, spread: null },
			restBreaches: 0,
			continuity: { clients: 0, meanCarers: null },
			clientsPerFte: { clients: 0, fte: 0, value: null },
			clientTime: { share: null },
			meetings: 0,
			pulse: null
		});
	});

	it('gives no colour where there is no value', () => {
		const f = computeHealth(base());
		for (const key of ['participation', 'coverage', 'hours', 'continuity', 'pulse'] as const)
			expect(colourOf(key, headline(f, key)), key).toBeNull();
		expect(colourOf('unassigned', headline(f, 'unassigned'))).toBe('green');
	});

	it('with members but no rota: not enough data for hours nor clients per FTE, never red', () => {
		const f = computeHealth(base({ members: [member('a'), member('b', 17.5)] }));
		expect(f.hours).toEqual({
			workedMinutes: 0,
			contractMinutes: 3150,
			absentMinutes: 0,
			ratio: null,
			spread: null
		});
		expect(f.clientsPerFte).toEqual({ clients: 0, fte: 1.5, value: null });
		for (const key of ['hours', 'hoursSpread', 'clientsPerFte', 'restBreaches'] as const)
			expect(colourOf(key, headline(f, key)), key).toBeNull();
	});
});

describe('a team of one', () => {
	const days = [0, 1, 2, 3, 4].map((d) => `2026-03-0${2 + d}`);
	const f = computeHealth(
		base({
			members: [member('solo')],
			visits: days.flatMap((d) => [
				visit(d, 'c1', 'solo', 8 * 60, 300),
				visit(d, 'c2', 'solo', 14 * 60, 60)
			]),
			shifts: [shift('2026-03-03', 'solo', 60, 16 * 60)]
		})
	);

	it('works its contract: ratio 1, no spread', () => {
		expect(f.members).toBe(1);
		expect(f.hours).toEqual({
			workedMinutes: 1860,
			contractMinutes: 2100,
			absentMinutes: 0,
			ratio: 0.886,
			spread: 0
		});
	});

	it('has full coverage, one carer per client and two clients per FTE', () => {
		expect(f.rota).toEqual({ visits: 10, assigned: 10, coverage: 1, unassigned: 0 });
		expect(f.continuity).toEqual({ clients: 2, meanCarers: 1 });
		expect(f.clientsPerFte).toEqual({ clients: 2, fte: 1, value: 2 });
	});

	it('spends visit minutes over all worked minutes with clients', () => {
		expect(f.clientTime).toEqual({ visitMinutes: 1800, workedMinutes: 1860, share: 0.968 });
	});

	it('can answer alone: one round of one', () => {
		const alone = computeHealth(
			base({
				members: [member('solo')],
				decisions: [
					decide({ participants: ['solo'], proposedAt: at(0) }, [
						[{ type: 'open-round', by: 'solo' }, at(1)],
						[consent('solo'), at(1, 11)]
					])
				]
			})
		);
		expect(alone.participation).toEqual({ rounds: 1, answered: 1, expected: 1, share: 1 });
		expect(alone.decisionDays).toEqual({ decided: 1, medianDays: 1 });
	});
});

describe('participation in consent rounds', () => {
	it('pools the rounds closed in the week: adopted, lapsed, amended', () => {
		const adopted = decide({ participants: ['a', 'b', 'c'], proposedAt: at(-3) }, [
			[{ type: 'open-round', by: 'a' }, at(0)],
			[consent('a'), at(0)],
			[consent('b'), at(1)],
			[consent('c'), at(2)]
		]);
		// Async: one of four answers, the deadline passes in the week with the quorum (2) unmet.
		const lapsed = decide(
			{
				participants: ['a', 'b', 'c', 'd'],
				proposedAt: at(-2),
				mode: 'async',
				deadline: at(3),
				quorum: 2
			},
			[
				[{ type: 'open-round', by: 'a' }, at(-1)],
				[consent('b'), at(0)]
			]
		);
		// Amended after an objection: the first version's round closed with 2 of 3 answers.
		const amended = decide({ participants: ['a', 'b', 'c'], proposedAt: at(-1) }, [
			[{ type: 'open-round', by: 'a' }, at(0)],
			[consent('a'), at(0)],
			[objection('b'), at(1)],
			[{ type: 'amend', by: 'a', text: 'v2' }, at(2)]
		]);
		const f = computeHealth(base({ decisions: [adopted, lapsed, amended] }));
		expect(lapsed.state.stage).toBe('round'); // closes when read, at the week's end
		expect(f.participation).toEqual({ rounds: 3, answered: 6, expected: 10, share: 0.6 });
	});

	it('leaves out rounds closed in other weeks and rounds still open', () => {
		const before = decide({ participants: ['a', 'b'], proposedAt: at(-10) }, [
			[{ type: 'open-round', by: 'a' }, at(-9)],
			[consent('a'), at(-9)],
			[consent('b'), at(-8)]
		]);
		const open = decide({ participants: ['a', 'b'], proposedAt: at(0) }, [
			[{ type: 'open-round', by: 'a' }, at(0)],
			[consent('a'), at(1)]
		]);
		const f = computeHealth(base({ decisions: [before, open] }));
		expect(f.participation).toEqual({ rounds: 0, answered: 0, expected: 0, share: null });
	});
});

describe('time from proposal to outcome', () => {
	it('is the median in days of the decisions closed in the week', () => {
		const closedAfter = (days: number) =>
			decide({ participants: ['a'], proposedAt: at(4 - days) }, [
				[{ type: 'open-round', by: 'a' }, at(4)],
				[consent('a'), at(4)]
			]);
		const withdrawn = decide({ participants: ['a'], proposedAt: at(0) }, [
			[{ type: 'withdraw', by: 'a' }, at(2)]
		]);
		const f = computeHealth(base({ decisions: [closedAfter(3), closedAfter(10), withdrawn] }));
		expect(f.decisionDays).toEqual({ decided: 3, medianDays: 3 });
		expect(
			computeHealth(base({ decisions: [closedAfter(3), closedAfter(10)] })).decisionDays
		).toEqual({ decided: 2, medianDays: 6.5 });
	});
});

describe('objections', () => {
	it('counts those raised in the week and those integrated into a decision adopted in it', () => {
		// Objection met by an amendment, then adopted.
		const amended = decide({ participants: ['a', 'b'], proposedAt: at(-7) }, [
			[{ type: 'open-round', by: 'a' }, at(-6)],
			[objection('b'), at(-6)],
			[{ type: 'amend', by: 'a', text: 'v2' }, at(1)],
			[consent('a', 2), at(1)],
			[consent('b', 2), at(2)]
		]);
		// Objection withdrawn by its author, then adopted.
		const withdrawnObjection = decide({ participants: ['a', 'b'], proposedAt: at(0) }, [
			[{ type: 'open-round', by: 'a' }, at(0)],
			[consent('a'), at(0)],
			[objection('b'), at(1)],
			[{ type: 'withdraw-objection', by: 'b', version: 1 }, at(2)]
		]);
		// Objection standing: raised this week, not integrated.
		const standing = decide({ participants: ['a', 'b'], proposedAt: at(0) }, [
			[{ type: 'open-round', by: 'a' }, at(0)],
			[objection('b'), at(3)]
		]);
		expect(withdrawnObjection.state.stage).toBe('adopted');
		const f = computeHealth(base({ decisions: [amended, withdrawnObjection, standing] }));
		expect(f.objections).toEqual({ raised: 2, integrated: 2 });
	});
});

describe('decisions due for review', () => {
	it('counts adopted decisions past their review date, not those taken up again', () => {
		const adopt = (id: string, reviewDate: string) =>
			decide({ id, participants: ['a'], proposedAt: at(-60), reviewDate }, [
				[{ type: 'open-round', by: 'a' }, at(-59)],
				[consent('a'), at(-59)]
			]);
		const due = adopt('due', '2026-03-01');
		const later = adopt('later', '2026-03-20');
		const reviewed = adopt('reviewed', '2026-02-01');
		const review = decide({ participants: ['a'], proposedAt: at(1), refersTo: 'reviewed' }, []);
		const onSunday = adopt('sunday', SUNDAY);
		const f = computeHealth(base({ decisions: [due, later, reviewed, review, onSunday] }));
		expect(f.reviewsDue).toEqual({ count: 2, decisionIds: ['due', 'sunday'] });
		// Read on Wednesday, Sunday's review is not due yet.
		expect(
			computeHealth(base({ asOf: '2026-03-04', decisions: [due, onSunday] })).reviewsDue
		).toEqual({ count: 1, decisionIds: ['due'] });
	});
});

describe('roles', () => {
	const roles = [
		{ id: 'plan', essential: true, createdOn: '2025-01-01' },
		{ id: 'budget', essential: true, createdOn: '2025-01-01' },
		{ id: 'meet', essential: true, createdOn: '2025-01-01' },
		{ id: 'mentor', essential: false, createdOn: '2025-01-01' },
		{ id: 'x1', essential: false, createdOn: '2025-01-01' },
		{ id: 'future', essential: true, createdOn: '2026-04-01' }
	];
	const held = (roleId: string, memberId: string, from = '2026-01-01', until = '2026-12-31') => ({
		roleId,
		memberId,
		from,
		until,
		endedOn: null
	});

	it('counts essential roles filled, terms ended and the most roles one person holds', () => {
		const f = computeHealth(
			base({
				roles,
				assignments: [
					held('plan', 'a', '2025-03-01', '2026-02-28'), // term ended, nobody after
					held('budget', 'a'),
					held('meet', 'a'),
					held('mentor', 'a'),
					held('x1', 'a')
				]
			})
		);
		expect(f.roles).toEqual({
			essential: 3,
			essentialFilled: 2,
			emptyEssentialRoleIds: ['plan'],
			termsEnded: 1,
			maxPerMember: 4
		});
		expect(colourOf('roleConcentration', f.roles.maxPerMember)).toBe('amber');
	});

	it('reads the roles as they stood on the day, not later assignments', () => {
		const f = computeHealth(base({ roles, assignments: [held('plan', 'b', '2026-03-10')] }));
		expect(f.roles.essentialFilled).toBe(0);
		expect(f.roles.maxPerMember).toBe(0);
	});
});

describe('the rota', () => {
	it('gives coverage and unassigned visits of the week only', () => {
		const f = computeHealth(
			base({
				members: [member('a')],
				visits: [
					visit('2026-03-02', 'c1', 'a'),
					visit('2026-03-03', 'c1', null),
					visit('2026-03-04', 'c2', 'a'),
					visit('2026-03-05', 'c2', null),
					visit('2026-02-25', 'c2', null) // the week before
				]
			})
		);
		expect(f.rota).toEqual({ visits: 4, assigned: 2, coverage: 0.5, unassigned: 2 });
		expect(colourOf('coverage', f.rota.coverage)).toBe('red');
	});

	it('counts rest breaches by the rota checks, for salaried members only', () => {
		const late = (carer: string) => [
			visit('2026-03-02', 'c1', carer, 21 * 60, 60),
			visit('2026-03-03', 'c2', carer, 6 * 60, 60)
		];
		const salaried = computeHealth(base({ members: [member('a')], visits: late('a') }));
		expect(salaried.restBreaches).toBe(1);
		const selfEmployed = computeHealth(
			base({ members: [member('a', 35, { employment: 'self_employed' })], visits: late('a') })
		);
		expect(selfEmployed.restBreaches).toBe(0);
	});

	it('counts seven days in a row as a breach', () => {
		const days = Array.from({ length: 7 }, (_, i) => `2026-03-0${2 + i}`);
		const f = computeHealth(
			base({ members: [member('a')], visits: days.map((d) => visit(d, 'c1', 'a')) })
		);
		expect(f.restBreaches).toBeGreaterThanOrEqual(1);
	});
});

describe('hours against contracts', () => {
	it('sums worked minutes (visits and shifts) and their spread across members', () => {
		const f = computeHealth(
			base({
				members: [member('a', 35), member('b', 17.5), member('zero', 0)],
				visits: [
					visit('2026-03-02', 'c1', 'a', 8 * 60, 600),
					visit('2026-03-03', 'c1', 'b', 8 * 60, 300)
				],
				shifts: [
					shift('2026-03-04', 'a', 600),
					shift('2026-03-04', 'b', 300),
					shift('2026-02-24', 'a', 900)
				]
			})
		);
		// a: 1200 of 2100, b: 600 of 1050 — both 0.571: no spread.
		expect(f.hours).toEqual({
			workedMinutes: 1800,
			contractMinutes: 3150,
			absentMinutes: 0,
			ratio: 0.571,
			spread: 0
		});
	});

	it('leaves the weekdays of an absence out of the contract', () => {
		const f = computeHealth(
			base({
				members: [member('a', 35), member('b', 35)],
				absences: [
					// b is on leave Monday to Wednesday, then the weekend (which no contract counts).
					{ id: 'x', memberId: 'b', kind: 'leave', from: '2026-02-27', to: '2026-03-04', note: '' },
					{ id: 'y', memberId: 'a', kind: 'other', from: '2026-03-07', to: '2026-03-08', note: '' }
				],
				visits: [
					visit('2026-03-02', 'c1', 'a', 8 * 60, 600),
					visit('2026-03-05', 'c1', 'b', 8 * 60, 420)
				]
			})
		);
		expect(f.hours).toMatchObject({
			workedMinutes: 1020,
			contractMinutes: 2100 + 840,
			absentMinutes: 1260,
			ratio: 0.347
		});
		// a: 600 of 2100, b: 420 of 840: their ratios differ (0.29 and 0.5).
		expect(f.hours.spread).toBeCloseTo(0.273, 2);
		// Each member's week, as the demo's planner reads it to even hours out.
		const hours = memberHours(
			base({
				members: [member('a', 35), member('b', 35)],
				absences: [
					{ id: 'x', memberId: 'b', kind: 'leave', from: '2026-02-27', to: '2026-03-04', note: '' }
				],
				visits: [
					visit('2026-03-02', 'c1', 'a', 8 * 60, 600),
					visit('2026-03-05', 'c1', 'b', 8 * 60, 420),
					visit('2026-03-09', 'c1', 'b', 8 * 60, 420)
				]
			})
		);
		expect(hours).toEqual([
			{ id: 'a', worked: 600, contract: 2100 },
			{ id: 'b', worked: 420, contract: 840 }
		]);
		expect(hoursSpread([member('a'), member('b')], hours)).toBeCloseTo(0.273, 2);
	});

	it('leaves members without visits by trade (coordination, office) out of the spread', () => {
		const f = computeHealth(
			base({
				members: [
					member('a', 10),
					member('b', 10),
					member('office', 17.5, { profession: 'other' })
				],
				visits: [
					visit('2026-03-02', 'c1', 'a', 8 * 60, 300),
					visit('2026-03-03', 'c1', 'b', 8 * 60, 300)
				],
				shifts: [shift('2026-03-04', 'office', 60)]
			})
		);
		expect(f.hours.spread).toBe(0);
		expect(f.hours.workedMinutes).toBe(660);
	});

	it('shows an uneven week as spread', () => {
		const f = computeHealth(
			base({
				members: [member('a', 10), member('b', 10)],
				visits: [visit('2026-03-02', 'c1', 'a', 8 * 60, 600)]
			})
		);
		// a works 1, b works 0: mean 0.5, deviation 0.5.
		expect(f.hours.spread).toBe(1);
		expect(coefficientOfVariation([1, 1, 1])).toBe(0);
		expect(coefficientOfVariation([0, 0])).toBeNull();
		expect(coefficientOfVariation([])).toBeNull();
	});
});

describe('continuity of care', () => {
	it('is the mean number of different carers per client over four weeks', () => {
		const f = computeHealth(
			base({
				visits: [
					visit('2026-03-02', 'c1', 'a'),
					visit('2026-02-23', 'c1', 'b'),
					visit('2026-02-09', 'c1', 'c'), // four weeks back: Monday of W07
					visit('2026-02-08', 'c1', 'd'), // five weeks back: not counted
					visit('2026-03-03', 'c1', 'a'),
					visit('2026-03-03', 'c2', 'a'),
					visit('2026-03-04', 'c3', null) // unassigned: no carer to count
				]
			})
		);
		expect(f.continuity).toEqual({ clients: 2, meanCarers: 2 });
	});
});

describe('clients per full-time equivalent and time with clients', () => {
	it('divides clients visited by contracts in 35 h units', () => {
		const f = computeHealth(
			base({
				members: [member('a', 35), member('b', 17.5)],
				visits: [
					visit('2026-03-02', 'c1', 'a'),
					visit('2026-03-02', 'c2', 'b'),
					visit('2026-03-03', 'c3', null),
					visit('2026-03-03', 'c1', 'a')
				]
			})
		);
		expect(f.clientsPerFte).toEqual({ clients: 3, fte: 1.5, value: 2 });
	});

	it('is visit minutes over all worked minutes, shifts included', () => {
		const f = computeHealth(
			base({
				members: [member('a')],
				visits: [
					visit('2026-03-02', 'c1', 'a', 8 * 60, 600),
					visit('2026-03-03', 'c1', null, 8 * 60, 500)
				],
				shifts: [shift('2026-03-04', 'a', 400)]
			})
		);
		expect(f.clientTime).toEqual({ visitMinutes: 600, workedMinutes: 1000, share: 0.6 });
	});
});

describe('meetings held', () => {
	it('counts the week’s meetings that took place', () => {
		const f = computeHealth(
			base({
				meetings: [
					{ heldOn: '2026-03-03', status: 'closed' },
					{ heldOn: '2026-03-05', status: 'open' },
					{ heldOn: '2026-03-06', status: 'planned' },
					{ heldOn: '2026-03-10', status: 'closed' }
				]
			})
		);
		expect(f.meetings).toBe(2);
	});
});

describe('the pulse', () => {
	const pulse = (answers: number, red: number): PulseFigure => {
		const q = { green: answers - red, amber: 0, red };
		return {
			week: WEEK,
			answers,
			questions: { energy: q, workload: q, teamwork: q, decisions: q }
		};
	};

	it('is kept as the team figure from five answers up', () => {
		expect(computeHealth(base({ pulse: pulse(6, 3) })).pulse).toEqual(pulse(6, 3));
		expect(pulseRedShare(pulse(6, 3))).toBe(0.5);
		expect(colourOf('pulse', pulseRedShare(pulse(6, 3)))).toBe('red');
	});

	it('is dropped below five answers, whatever the caller passed', () => {
		expect(computeHealth(base({ pulse: pulse(4, 1) })).pulse).toBeNull();
	});
});

describe('signals', () => {
	it('has a documented threshold for every figure', () => {
		expect(Object.keys(THRESHOLDS).sort()).toEqual([...FIGURE_KEYS].sort());
	});

	it('colours by direction: higher, lower, within a band, or not at all', () => {
		expect(colourOf('participation', 0.8)).toBe('green');
		expect(colourOf('participation', 0.7)).toBe('amber');
		expect(colourOf('participation', 0.59)).toBe('red');
		expect(colourOf('unassigned', 2)).toBe('green');
		expect(colourOf('unassigned', 8)).toBe('amber');
		expect(colourOf('unassigned', 9)).toBe('red');
		// Hours: the rota cannot see travel or notes, so only planning past the contracts is a signal.
		expect(colourOf('hours', 1.05)).toBe('green');
		expect(colourOf('hours', 0.8)).toBe('green');
		expect(colourOf('hours', 0.28)).toBe('green');
		expect(colourOf('hours', 1.2)).toBe('amber');
		expect(colourOf('hours', 1.3)).toBe('red');
		expect(colourOf('meetings', 0)).toBe('amber');
		expect(colourOf('objections', 5)).toBeNull();
	});

	const weekOf = (n: number, patch: (f: HealthFigures) => void): Week => {
		const f = computeHealth(base({ week: formatWeek(2026, n) }));
		patch(f);
		return { week: f.week, figures: f };
	};

	it('reads closed-week figures from the last closed week, current ones from this week', () => {
		const weeks = [
			weekOf(8, (f) => (f.participation.share = 0.9)),
			weekOf(9, (f) => (f.participation.share = 0.5)),
			weekOf(10, (f) => {
				f.participation.share = null;
				f.rota.unassigned = 12;
			})
		];
		expect(figureSignal('participation', weeks)).toEqual({
			key: 'participation',
			week: '2026-W09',
			value: 0.5,
			colour: 'red',
			trend: 'worse'
		});
		expect(figureSignal('unassigned', weeks)).toMatchObject({
			week: '2026-W10',
			value: 12,
			colour: 'red',
			trend: 'worse'
		});
		// Only the current week known: no closed week to read.
		expect(figureSignal('participation', weeks.slice(2))).toBeNull();
	});

	it('sees no trend without earlier weeks, and a steady one within the step', () => {
		const one = [weekOf(10, (f) => (f.rota.unassigned = 3))];
		expect(figureSignal('unassigned', one)?.trend).toBeNull();
		const steady = [
			weekOf(9, (f) => (f.rota.unassigned = 3)),
			weekOf(10, (f) => (f.rota.unassigned = 4))
		];
		expect(figureSignal('unassigned', steady)?.trend).toBe('steady');
		const better = [
			weekOf(9, (f) => (f.rota.unassigned = 9)),
			weekOf(10, (f) => (f.rota.unassigned = 1))
		];
		expect(figureSignal('unassigned', better)?.trend).toBe('better');
	});

	it('treats a week without a record as no value', () => {
		const weeks: Week[] = [{ week: '2026-W09', figures: null }, weekOf(10, () => {})];
		expect(figureSignal('meetings', weeks)).toMatchObject({
			week: '2026-W09',
			value: null,
			colour: null
		});
	});

	it('scores attention by weight and colour, worst first, and sorts teams by it', () => {
		const calm = [weekOf(9, (f) => (f.meetings = 1)), weekOf(10, () => {})];
		const sliding = [
			weekOf(9, (f) => {
				f.meetings = 1;
				f.participation.share = 0.4;
			}),
			weekOf(10, (f) => {
				f.rota.unassigned = 5;
				f.rota.coverage = 0.95;
			})
		];
		const a = teamSignals(calm);
		const b = teamSignals(sliding);
		expect(a.score).toBe(0);
		expect(a.attention).toEqual([]);
		// participation red (3 × 2), coverage amber (1 × 3), unassigned amber and worse ((1 + 1) × 2).
		expect(b.attention).toEqual(['participation', 'unassigned', 'coverage']);
		expect(b.score).toBe(6 + 4 + 3);
		const sorted = byAttention([
			{ name: 'Calme', score: a.score },
			{ name: 'Glisse', score: b.score },
			{ name: 'Autre calme', score: 0 }
		]);
		expect(sorted.map((t) => t.name)).toEqual(['Glisse', 'Autre calme', 'Calme']);
	});

	it('takes the median of the weeks before as the reference', () => {
		expect(median([3, 1, 2])).toBe(2);
		expect(median([1, 2, 3, 4])).toBe(2.5);
		expect(median([])).toBeNull();
	});
});
