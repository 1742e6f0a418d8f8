import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	applyElection,
	newElection,
	tally,
	type Election,
	type ElectionMove
} from '../../src/lib/domain/election';
import {
	roleSignals,
	ROLE_TEMPLATES,
	type Assignment,
	type Role
} from '../../src/lib/domain/roles';

const team = ['aicha', 'camille', 'sophie'];
const start = () =>
	newElection({ id: 'e1', roleId: 'planner', convenerId: 'aicha', participants: team });

function play(e: Election, ...moves: ElectionMove[]): Election {
	let current = e;
	for (const move of moves) {
		const out = applyElection(current, move);
		if (!out.ok) throw new Error(`${move.type} by ${move.by} refused: ${out.reason}`);
		current = out.election;
	}
	return current;
}

describe('role elections', () => {
	it('nominates with reasons, lets people change after hearing them, and elects by consent', () => {
		let e = play(
			start(),
			{ type: 'nominate', by: 'aicha', nominee: 'camille', reason: 'Elle connaît les tournées' },
			{ type: 'nominate', by: 'camille', nominee: 'sophie', reason: 'Elle a du temps' },
			{ type: 'nominate', by: 'sophie', nominee: 'camille', reason: 'Très organisée' },
			{ type: 'open-changes', by: 'aicha' },
			{
				type: 'change',
				by: 'camille',
				nominee: 'camille',
				reason: 'Après vous avoir entendues, je veux bien'
			}
		);
		expect(tally(e)).toEqual([{ nominee: 'camille', count: 3 }]);
		expect(e.nominations.find((n) => n.by === 'camille')?.changed).toBe(true);
		e = play(
			e,
			{ type: 'propose', by: 'aicha', nominee: 'camille' },
			{ type: 'answer', by: 'aicha', kind: 'consent', reason: '' },
			{ type: 'answer', by: 'sophie', kind: 'concern', reason: 'Ne pas tout porter seule' }
		);
		expect(e.stage).toBe('consent');
		e = play(e, { type: 'answer', by: 'camille', kind: 'consent', reason: '' });
		expect(e).toMatchObject({ stage: 'elected', proposed: 'camille' });
	});

	it('goes back to the proposal after an objection or when the candidate declines', () => {
		let e = play(
			start(),
			{ type: 'nominate', by: 'aicha', nominee: 'sophie', reason: 'x' },
			{ type: 'propose', by: 'aicha', nominee: 'sophie' }
		);
		e = play(e, {
			type: 'answer',
			by: 'camille',
			kind: 'objection',
			reason: 'Sophie part en formation trois mois'
		});
		expect(e).toMatchObject({
			stage: 'changes',
			proposed: null,
			history: [{ proposed: 'sophie', outcome: 'objection' }]
		});
		e = play(
			e,
			{ type: 'propose', by: 'aicha', nominee: 'camille' },
			{ type: 'decline', by: 'camille', reason: 'Pas ce semestre' }
		);
		expect(e.history.map((h) => h.outcome)).toEqual(['objection', 'declined']);
		expect(e.stage).toBe('changes');
	});

	it('refuses illegal moves', () => {
		const e = start();
		const reason = (move: ElectionMove, on = e) => {
			const out = applyElection(on, move);
			return out.ok ? 'ok' : out.reason;
		};
		expect(reason({ type: 'nominate', by: 'mallory', nominee: 'aicha', reason: 'x' })).toBe(
			'not-a-participant'
		);
		expect(reason({ type: 'nominate', by: 'sophie', nominee: 'mallory', reason: 'x' })).toBe(
			'not-a-member'
		);
		expect(reason({ type: 'nominate', by: 'sophie', nominee: 'aicha', reason: ' ' })).toBe(
			'reason-required'
		);
		expect(reason({ type: 'open-changes', by: 'sophie' })).toBe('not-the-convener');
		expect(reason({ type: 'change', by: 'sophie', nominee: 'aicha', reason: 'x' })).toBe(
			'wrong-stage'
		);
		expect(reason({ type: 'answer', by: 'sophie', kind: 'consent', reason: '' })).toBe(
			'wrong-stage'
		);
		const proposed = play(e, { type: 'propose', by: 'aicha', nominee: 'sophie' });
		expect(reason({ type: 'decline', by: 'camille', reason: '' }, proposed)).toBe(
			'not-the-candidate'
		);
		const cancelled = play(e, { type: 'cancel', by: 'aicha' });
		expect(
			reason({ type: 'nominate', by: 'sophie', nominee: 'aicha', reason: 'x' }, cancelled)
		).toBe('sealed');
	});

	it('never elects someone an objection stands against (property)', () => {
		const who = fc.constantFrom('aicha', 'camille', 'sophie', 'mallory');
		const move: fc.Arbitrary<ElectionMove> = fc.oneof(
			{
				weight: 2,
				arbitrary: fc.record({
					type: fc.constant('nominate' as const),
					by: who,
					nominee: who,
					reason: fc.constantFrom('', 'r')
				})
			},
			{ weight: 1, arbitrary: fc.record({ type: fc.constant('open-changes' as const), by: who }) },
			{
				weight: 1,
				arbitrary: fc.record({
					type: fc.constant('change' as const),
					by: who,
					nominee: who,
					reason: fc.constantFrom('', 'r')
				})
			},
			{
				weight: 3,
				arbitrary: fc.record({ type: fc.constant('propose' as const), by: who, nominee: who })
			},
			{
				weight: 10,
				arbitrary: fc.record({
					type: fc.constant('answer' as const),
					by: who,
					kind: fc.constantFrom(
						'consent' as const,
						'consent' as const,
						'concern' as const,
						'objection' as const
					),
					reason: fc.constantFrom('', 'r')
				})
			},
			{
				weight: 1,
				arbitrary: fc.record({
					type: fc.constant('decline' as const),
					by: who,
					reason: fc.constant('r')
				})
			}
		);
		let elected = 0;
		fc.assert(
			fc.property(fc.array(move, { minLength: 10, maxLength: 40 }), (moves) => {
				let e = start();
				for (const m of moves) {
					const out = applyElection(e, m);
					if (out.ok) e = out.election;
					if (e.stage === 'elected') {
						elected++;
						expect(e.answers.some((a) => a.kind === 'objection')).toBe(false);
						expect(team.every((p) => e.answers.some((a) => a.memberId === p))).toBe(true);
					}
				}
			}),
			{ numRuns: 500, seed: 7 }
		);
		// The random walks do reach elections, so the property was really put to the test.
		expect(elected).toBeGreaterThan(10);
	});
});

describe('role signals', () => {
	const roles: Role[] = ROLE_TEMPLATES.slice(0, 5).map((r, i) => ({ ...r, id: `r${i}` }));
	const hold = (roleId: string, memberId: string, from: string, until: string): Assignment => ({
		roleId,
		memberId,
		from,
		until,
		endedOn: null
	});

	it('shows a term that ended, an essential role with no holder, and a member holding too many roles', () => {
		const assignments = [
			hold('r0', 'aicha', '2026-01-01', '2026-12-31'),
			hold('r1', 'aicha', '2026-01-01', '2026-12-31'),
			hold('r2', 'aicha', '2026-01-01', '2026-12-31'),
			hold('r3', 'aicha', '2026-01-01', '2026-12-31'),
			hold('r4', 'sophie', '2026-01-01', '2026-10-31')
		];
		expect(roleSignals(roles, assignments, '2026-11-24')).toEqual([
			{ kind: 'term-ended', roleId: 'r4', memberId: 'sophie', until: '2026-10-31' },
			{ kind: 'essential-empty', roleId: 'r4' },
			{ kind: 'too-many-roles', memberId: 'aicha', count: 4 }
		]);
	});

	it('is quiet for a team whose roles are filled and shared', () => {
		const assignments = roles.map((r, i) =>
			hold(r.id, ['aicha', 'camille', 'sophie'][i % 3]!, '2026-06-01', '2027-05-31')
		);
		expect(roleSignals(roles, assignments, '2026-11-24')).toEqual([]);
		expect(ROLE_TEMPLATES.filter((r) => r.essential).length).toBeGreaterThan(0);
	});
});
