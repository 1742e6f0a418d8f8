import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	apply,
	evaluate,
	newDecision,
	standingObjections,
	toRemind,
	type Decision,
	type Move,
	type Outcome
} from '../../src/lib/domain/consent';

const T0 = new Date('2026-11-24T09:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const team = ['aicha', 'camille', 'sophie'];

function meeting(): Decision {
	return newDecision({
		id: 'd1',
		title: 'Tournée du samedi',
		driver: 'Les samedis sont trop chargés',
		text: 'Deux personnes sur la tournée du samedi matin',
		area: 'rota',
		reviewDate: '2027-03-01',
		proposerId: 'aicha',
		participants: team,
		mode: 'meeting',
		now: T0
	});
}

/** Applies moves in order, failing the test on a refusal. */
function play(d: Decision, ...moves: Move[]): Decision {
	let current = d;
	for (const [i, move] of moves.entries()) {
		const out = apply(current, move, later(i + 1));
		if (!out.ok) throw new Error(`move ${i} (${move.type} by ${move.by}) refused: ${out.reason}`);
		current = out.decision;
	}
	return current;
}
const refusal = (out: Outcome) => (out.ok ? 'ok' : out.reason);

describe('consent decisions', () => {
	it('goes through questions, reactions and a round, and is adopted when everyone present consents', () => {
		const d = play(
			meeting(),
			{ type: 'ask', by: 'sophie', questionId: 'q1', text: 'Dès janvier ?' },
			{ type: 'clarify', by: 'aicha', questionId: 'q1', text: 'Oui' },
			{ type: 'to-reactions', by: 'aicha' },
			{ type: 'react', by: 'camille', text: 'Bonne idée' },
			{ type: 'open-round', by: 'aicha' },
			{ type: 'answer', by: 'aicha', version: 1, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'camille', version: 1, kind: 'concern', reason: 'Et les congés ?' }
		);
		expect(d.stage).toBe('round');
		const adopted = play(d, {
			type: 'answer',
			by: 'sophie',
			version: 1,
			kind: 'consent',
			reason: ''
		});
		expect(adopted.stage).toBe('adopted');
		expect(adopted.questions[0]?.answer).toBe('Oui');
	});

	it('is blocked by an objection until the proposer amends and everyone consents to the new version', () => {
		const d = play(
			meeting(),
			{ type: 'open-round', by: 'aicha' },
			{ type: 'answer', by: 'aicha', version: 1, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'camille', version: 1, kind: 'consent', reason: '' },
			{
				type: 'answer',
				by: 'sophie',
				version: 1,
				kind: 'objection',
				reason: 'Personne pour les transferts de M. Faure'
			}
		);
		expect(d.stage).toBe('round');
		expect(standingObjections(d)).toHaveLength(1);
		const amended = play(d, {
			type: 'amend',
			by: 'aicha',
			text: 'Deux personnes, dont une formée aux transferts'
		});
		expect(amended.versions.map((v) => v.number)).toEqual([1, 2]);
		expect(amended.versions[0]?.answers).toHaveLength(3); // earlier versions are kept
		expect(
			refusal(
				apply(
					amended,
					{ type: 'answer', by: 'camille', version: 1, kind: 'consent', reason: '' },
					later(20)
				)
			)
		).toBe('not-current-version');
		const adopted = play(
			amended,
			{ type: 'answer', by: 'aicha', version: 2, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'camille', version: 2, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'sophie', version: 2, kind: 'consent', reason: '' }
		);
		expect(adopted.stage).toBe('adopted');
	});

	it('is adopted once the objector withdraws their objection', () => {
		const d = play(
			meeting(),
			{ type: 'open-round', by: 'aicha' },
			{ type: 'answer', by: 'aicha', version: 1, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'camille', version: 1, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'sophie', version: 1, kind: 'objection', reason: 'Trop tôt' }
		);
		expect(
			refusal(apply(d, { type: 'withdraw-objection', by: 'camille', version: 1 }, later(9)))
		).toBe('no-objection-to-withdraw');
		const adopted = play(d, { type: 'withdraw-objection', by: 'sophie', version: 1 });
		expect(adopted.stage).toBe('adopted');
		expect(
			adopted.versions[0]?.answers.find((a) => a.memberId === 'sophie')?.withdrawnAt
		).not.toBeNull();
	});

	it('refuses every illegal move', () => {
		const d = meeting();
		expect(
			refusal(apply(d, { type: 'ask', by: 'mallory', questionId: 'q', text: '?' }, later(1)))
		).toBe('not-a-participant');
		expect(
			refusal(
				apply(
					d,
					{ type: 'answer', by: 'sophie', version: 1, kind: 'consent', reason: '' },
					later(1)
				)
			)
		).toBe('wrong-stage');
		expect(refusal(apply(d, { type: 'open-round', by: 'sophie' }, later(1)))).toBe(
			'not-the-proposer'
		);
		expect(refusal(apply(d, { type: 'amend', by: 'sophie', text: 'autre' }, later(1)))).toBe(
			'not-the-proposer'
		);
		expect(refusal(apply(d, { type: 'withdraw', by: 'camille' }, later(1)))).toBe(
			'not-the-proposer'
		);
		const round = play(d, { type: 'open-round', by: 'aicha' });
		expect(
			refusal(
				apply(
					round,
					{ type: 'answer', by: 'sophie', version: 1, kind: 'objection', reason: ' ' },
					later(2)
				)
			)
		).toBe('reason-required');
		expect(
			refusal(
				apply(
					round,
					{ type: 'answer', by: 'sophie', version: 1, kind: 'concern', reason: '' },
					later(2)
				)
			)
		).toBe('reason-required');
		expect(
			refusal(apply(round, { type: 'ask', by: 'sophie', questionId: 'q', text: '?' }, later(2)))
		).toBe('wrong-stage');
		// Answering for someone else is not a move at all: `by` is the signed-in member, set by the server.
		const withdrawn = play(round, { type: 'withdraw', by: 'aicha' });
		expect(withdrawn.stage).toBe('withdrawn');
		expect(
			refusal(
				apply(
					withdrawn,
					{ type: 'answer', by: 'sophie', version: 1, kind: 'consent', reason: '' },
					later(5)
				)
			)
		).toBe('sealed');
		expect(
			refusal(apply(withdrawn, { type: 'amend', by: 'aicha', text: 'encore' }, later(5)))
		).toBe('sealed');
	});
});

describe('asynchronous rounds', () => {
	const async = (quorum = 2) =>
		play(
			newDecision({
				id: 'd2',
				title: 'Achat d’un lève-personne',
				driver: 'Transferts difficiles',
				text: 'Acheter un lève-personne',
				area: 'team',
				reviewDate: '2027-06-01',
				proposerId: 'aicha',
				participants: team,
				mode: 'async',
				deadline: later(60 * 48).toISOString(),
				quorum,
				now: T0
			}),
			{ type: 'open-round', by: 'aicha' }
		);

	it('closes at the deadline even if nothing ran then: adopted with the quorum and no objection', () => {
		const d = play(
			async(),
			{ type: 'answer', by: 'aicha', version: 1, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'camille', version: 1, kind: 'concern', reason: 'Le prix' }
		);
		expect(evaluate(d, later(60 * 47)).stage).toBe('round');
		const read = evaluate(d, later(60 * 72));
		expect(read.stage).toBe('adopted');
		expect(read.closedAt).toBe(later(60 * 48).toISOString());
		expect(
			refusal(
				apply(
					d,
					{ type: 'answer', by: 'sophie', version: 1, kind: 'objection', reason: 'trop tard' },
					later(60 * 49)
				)
			)
		).toBe('sealed');
	});

	it('lapses at the deadline without the quorum, or with an objection standing', () => {
		const few = play(async(3), {
			type: 'answer',
			by: 'aicha',
			version: 1,
			kind: 'consent',
			reason: ''
		});
		expect(evaluate(few, later(60 * 49)).stage).toBe('lapsed');
		const objected = play(async(1), {
			type: 'answer',
			by: 'sophie',
			version: 1,
			kind: 'objection',
			reason: 'Pas de place'
		});
		expect(evaluate(objected, later(60 * 49)).stage).toBe('lapsed');
	});

	it('reminds the undecided members on the last day only', () => {
		const d = play(async(), {
			type: 'answer',
			by: 'aicha',
			version: 1,
			kind: 'consent',
			reason: ''
		});
		expect(toRemind(d, later(60))).toEqual([]);
		expect(toRemind(d, later(60 * 30))).toEqual(['camille', 'sophie']);
		expect(toRemind(d, later(60 * 50))).toEqual([]);
	});
});

describe('the consent rule (property)', () => {
	it('never adopts with a standing objection, and never changes a sealed decision', () => {
		const member = fc.constantFrom('aicha', 'camille', 'sophie', 'mallory');
		const version = fc.oneof(
			{ weight: 4, arbitrary: fc.constant(1) },
			{ weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }
		);
		const moveArb: fc.Arbitrary<Move> = fc.oneof(
			{
				weight: 1,
				arbitrary: fc.record({
					type: fc.constant('ask' as const),
					by: member,
					questionId: fc.constantFrom('q1', 'q2'),
					text: fc.constantFrom('?', '')
				})
			},
			{
				weight: 1,
				arbitrary: fc.record({
					type: fc.constant('clarify' as const),
					by: member,
					questionId: fc.constantFrom('q1', 'q2'),
					text: fc.constant('oui')
				})
			},
			{
				weight: 1,
				arbitrary: fc.record({ type: fc.constant('to-reactions' as const), by: member })
			},
			{
				weight: 1,
				arbitrary: fc.record({
					type: fc.constant('react' as const),
					by: member,
					text: fc.constant('ok')
				})
			},
			{ weight: 3, arbitrary: fc.record({ type: fc.constant('open-round' as const), by: member }) },
			{
				weight: 12,
				arbitrary: fc.record({
					type: fc.constant('answer' as const),
					by: member,
					version,
					kind: fc.constantFrom('consent' as const, 'concern' as const, 'objection' as const),
					reason: fc.constantFrom('', 'parce que', 'parce que')
				})
			},
			{
				weight: 2,
				arbitrary: fc.record({
					type: fc.constant('withdraw-objection' as const),
					by: member,
					version
				})
			},
			{
				weight: 2,
				arbitrary: fc.record({
					type: fc.constant('amend' as const),
					by: member,
					text: fc.constantFrom('v', '')
				})
			},
			{ weight: 1, arbitrary: fc.record({ type: fc.constant('withdraw' as const), by: member }) }
		);
		fc.assert(
			fc.property(
				fc.array(moveArb, { minLength: 15, maxLength: 40 }),
				fc.boolean(),
				(moves, isAsync) => {
					let d = newDecision({
						id: 'p',
						title: 't',
						driver: 'd',
						text: 'v1',
						area: 'other',
						reviewDate: '2027-01-01',
						proposerId: 'aicha',
						participants: team,
						mode: isAsync ? 'async' : 'meeting',
						deadline: later(30).toISOString(),
						quorum: 2,
						now: T0
					});
					for (const [i, move] of moves.entries()) {
						const before = d;
						const out = apply(d, move, later(i));
						if (out.ok) d = out.decision;
						const now = evaluate(d, later(i));
						if (now.stage === 'adopted') expect(standingObjections(now)).toEqual([]);
						if (
							before.stage === 'adopted' ||
							before.stage === 'withdrawn' ||
							before.stage === 'lapsed'
						)
							expect(d).toBe(before);
					}
				}
			),
			{ numRuns: 500, seed: 2026 }
		);
	});
});
