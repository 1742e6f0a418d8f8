import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	answered,
	apply,
	asked,
	newAdvice,
	waitingFor,
	type Advice,
	type AdviceMove,
	type AdviceOutcome
} from '../../src/lib/domain/advice';
import { decideSchema, parseAnnounce } from '../../src/lib/domain/advice-form';
import { parseForm } from '../../src/lib/domain/forms';

const T0 = new Date('2026-11-24T09:00:00Z');
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const team = ['aicha', 'camille', 'sophie', 'yanis'];

const announcement = {
	id: 'a1',
	title: 'Nouveau fournisseur de gants',
	situation: 'Les gants actuels se déchirent souvent.',
	intent: 'Passer au fournisseur de la pharmacie du quartier.',
	area: 'team' as const,
	reviewDate: '2027-03-01',
	deciderId: 'aicha',
	members: team,
	affected: ['camille', 'sophie'],
	experts: ['yanis'],
	now: T0
};

function announced(overrides: Partial<typeof announcement> = {}): Advice {
	const out = newAdvice({ ...announcement, ...overrides });
	if (!out.ok) throw new Error(`announcement refused: ${out.refusal.kind}`);
	return out.advice;
}

/** Applies moves in order, failing the test on a refusal. */
function play(a: Advice, ...moves: AdviceMove[]): Advice {
	let current = a;
	for (const [i, move] of moves.entries()) {
		const out = apply(current, move, later(i + 1));
		if (!out.ok)
			throw new Error(`move ${i} (${move.type} by ${move.by}) refused: ${out.refusal.kind}`);
		current = out.advice;
	}
	return current;
}
const refusal = (out: AdviceOutcome) => (out.ok ? { kind: 'ok' } : out.refusal);

describe('the advice process', () => {
	it('gathers advice from those asked, then records the decision and how the advice shaped it', () => {
		const a = announced();
		expect(a.stage).toBe('asking');
		expect(asked(a)).toEqual(['camille', 'sophie', 'yanis']);
		const advised = play(
			a,
			{ type: 'advise', by: 'camille', text: 'Demande des échantillons d’abord.' },
			{ type: 'advise', by: 'yanis', text: 'Vérifie la norme EN 455.' }
		);
		expect(answered(advised)).toEqual(['camille', 'yanis']);
		expect(waitingFor(advised)).toEqual(['sophie']);
		const decided = play(advised, {
			type: 'decide',
			by: 'aicha',
			text: '  Fournisseur de la pharmacie, après un essai d’un mois.  ',
			howShaped: 'L’essai vient de Camille ; la norme, de Yanis.'
		});
		expect(decided.stage).toBe('decided');
		expect(decided.decision).toEqual({
			text: 'Fournisseur de la pharmacie, après un essai d’un mois.',
			howShaped: 'L’essai vient de Camille ; la norme, de Yanis.',
			at: later(1).toISOString()
		});
		expect(decided.closedAt).toBe(later(1).toISOString());
		expect(decided.advice).toHaveLength(2);
	});

	it('lets any member advise, not only those asked, and keeps one advice per person', () => {
		const a = play(
			announced({ members: [...team, 'lea'] }),
			{ type: 'advise', by: 'lea', text: 'Pense aux allergies au latex.' },
			{ type: 'advise', by: 'camille', text: 'Premier avis' },
			{ type: 'advise', by: 'camille', text: 'Avis remplacé' }
		);
		expect(a.advice.map((x) => [x.by, x.text])).toEqual([
			['lea', 'Pense aux allergies au latex.'],
			['camille', 'Avis remplacé']
		]);
		// Léa was not asked: she does not count among those who answered.
		expect(answered(a)).toEqual(['camille']);
	});

	it('withdraws, by the decider only', () => {
		const a = announced();
		expect(refusal(apply(a, { type: 'withdraw', by: 'sophie' }, later(1)))).toEqual({
			kind: 'not-the-decider'
		});
		const withdrawn = play(a, { type: 'withdraw', by: 'aicha' });
		expect(withdrawn.stage).toBe('withdrawn');
		expect(withdrawn.decision).toBeNull();
		expect(withdrawn.closedAt).toBe(later(1).toISOString());
	});

	it('refuses every illegal move', () => {
		const a = announced();
		// Someone outside the team, for every kind of move.
		for (const move of [
			{ type: 'advise', by: 'mallory', text: 'Fais comme moi' },
			{ type: 'decide', by: 'mallory', text: 'x', howShaped: 'y' },
			{ type: 'withdraw', by: 'mallory' }
		] as AdviceMove[])
			expect(refusal(apply(a, move, later(1))), move.type).toEqual({
				kind: 'not-a-member',
				memberId: 'mallory'
			});
		// Recording or withdrawing by anyone but the decider, even someone asked.
		expect(
			refusal(apply(a, { type: 'decide', by: 'camille', text: 'x', howShaped: 'y' }, later(1)))
		).toEqual({ kind: 'not-the-decider' });
		// The decider does not advise themselves.
		expect(refusal(apply(a, { type: 'advise', by: 'aicha', text: 'Oui' }, later(1)))).toEqual({
			kind: 'own-process'
		});
		// Empty texts, blanks included.
		expect(refusal(apply(a, { type: 'advise', by: 'camille', text: ' \n\t ' }, later(1)))).toEqual({
			kind: 'text-required',
			field: 'advice'
		});
		expect(
			refusal(apply(a, { type: 'decide', by: 'aicha', text: '  ', howShaped: 'y' }, later(1)))
		).toEqual({ kind: 'text-required', field: 'decision' });
		expect(
			refusal(apply(a, { type: 'decide', by: 'aicha', text: 'x', howShaped: '' }, later(1)))
		).toEqual({ kind: 'text-required', field: 'howShaped' });
		expect(
			refusal(apply(a, { type: 'decide', by: 'aicha', text: 'x', howShaped: ' \n ' }, later(1)))
		).toEqual({ kind: 'text-required', field: 'howShaped' });
	});

	it('never changes once sealed, decided or withdrawn', () => {
		const decided = play(
			announced(),
			{ type: 'advise', by: 'camille', text: 'Oui' },
			{ type: 'decide', by: 'aicha', text: 'Décidé', howShaped: 'Camille était d’accord' }
		);
		const withdrawn = play(announced(), { type: 'withdraw', by: 'aicha' });
		for (const sealed of [decided, withdrawn])
			for (const move of [
				{ type: 'advise', by: 'sophie', text: 'Trop tard ?' },
				{ type: 'advise', by: 'camille', text: 'Je change d’avis' },
				{ type: 'decide', by: 'aicha', text: 'Autre chose', howShaped: 'z' },
				{ type: 'withdraw', by: 'aicha' },
				{ type: 'withdraw', by: 'mallory' }
			] as AdviceMove[])
				expect(refusal(apply(sealed, move, later(9)))).toEqual({
					kind: 'sealed',
					stage: sealed.stage
				});
	});

	it('refuses an announcement without its texts, by an outsider, or asking nobody', () => {
		const kindOf = (overrides: Partial<typeof announcement>) => {
			const out = newAdvice({ ...announcement, ...overrides });
			return out.ok ? { kind: 'ok' } : out.refusal;
		};
		expect(kindOf({ title: ' ' })).toEqual({ kind: 'text-required', field: 'title' });
		expect(kindOf({ situation: '' })).toEqual({ kind: 'text-required', field: 'situation' });
		expect(kindOf({ intent: '\n' })).toEqual({ kind: 'text-required', field: 'intent' });
		expect(kindOf({ deciderId: 'mallory' })).toEqual({
			kind: 'not-a-member',
			memberId: 'mallory'
		});
		expect(kindOf({ area: 'everything' as 'team' })).toEqual({ kind: 'invalid-area' });
		// Asking only oneself, or only people outside the team, is asking nobody.
		expect(kindOf({ affected: ['aicha', 'mallory'], experts: [] })).toEqual({
			kind: 'nobody-asked'
		});
		// Those asked are members, each once, never the decider.
		const a = announced({
			affected: ['camille', 'camille', 'aicha', 'mallory'],
			experts: ['camille']
		});
		expect(a.affected).toEqual(['camille']);
		expect(asked(a)).toEqual(['camille']);
	});
});

describe('the advice process, over random moves', () => {
	const who = fc.constantFrom('aicha', 'camille', 'sophie', 'yanis', 'mallory');
	const text = fc.constantFrom('', '  ', '\n', 'oui', 'Un avis argumenté');
	const move: fc.Arbitrary<AdviceMove> = fc.oneof(
		fc.record({ type: fc.constant('advise' as const), by: who, text }),
		fc.record({ type: fc.constant('decide' as const), by: who, text, howShaped: text }),
		fc.record({ type: fc.constant('withdraw' as const), by: who })
	);

	it('never change a sealed process and never record a decision without how the advice shaped it', () => {
		fc.assert(
			fc.property(fc.array(move, { maxLength: 30 }), (moves) => {
				let current = announced();
				let sealed: string | null = null;
				for (const [i, m] of moves.entries()) {
					const out = apply(current, m, later(i + 1));
					if (sealed !== null) {
						// Once sealed, every move is refused as such and the process stays as it was.
						expect(out.ok).toBe(false);
						expect(!out.ok && out.refusal.kind).toBe('sealed');
						expect(JSON.stringify(current)).toBe(sealed);
						continue;
					}
					if (!out.ok) continue;
					current = out.advice;
					if (current.stage === 'decided') {
						expect(m.type === 'decide' && m.howShaped.trim() !== '').toBe(true);
						expect(current.decision?.howShaped.trim()).not.toBe('');
						expect(current.decision?.text.trim()).not.toBe('');
					} else {
						expect(current.decision).toBeNull();
					}
					// One advice per person, only ever from members.
					const by = current.advice.map((x) => x.by);
					expect(new Set(by).size).toBe(by.length);
					expect(by.every((id) => team.includes(id) && id !== 'aicha')).toBe(true);
					if (current.stage !== 'asking') sealed = JSON.stringify(current);
				}
			}),
			{ numRuns: 500 }
		);
	});
});

describe('the advice forms', () => {
	const formOf = (fields: [string, string | Blob][]) => {
		const form = new FormData();
		for (const [name, value] of fields) form.append(name, value);
		return form;
	};
	const texts: [string, string][] = [
		['title', ' Gants '],
		['situation', 'Ils se déchirent'],
		['intent', 'Changer'],
		['area', 'team'],
		['reviewDate', '2027-03-01']
	];

	it('reads the texts and every member ticked, each once', () => {
		const out = parseAnnounce(
			formOf([
				...texts,
				['affected', 'camille'],
				['affected', 'sophie'],
				['affected', 'camille'],
				['experts', 'yanis']
			])
		);
		expect(out).toEqual({
			ok: true,
			data: {
				title: 'Gants',
				situation: 'Ils se déchirent',
				intent: 'Changer',
				area: 'team',
				reviewDate: '2027-03-01',
				affected: ['camille', 'sophie'],
				experts: ['yanis']
			}
		});
	});

	it('names each wrong field, and asks for at least one person', () => {
		expect(parseAnnounce(formOf([]))).toEqual({
			ok: false,
			errors: {
				title: 'required',
				situation: 'required',
				intent: 'required',
				area: 'invalid',
				reviewDate: 'required',
				affected: 'required'
			}
		});
		const out = parseAnnounce(
			formOf([
				['title', 'x'.repeat(121)],
				['situation', 'a\u0000b'],
				['intent', 'ok'],
				['area', 'everything'],
				['reviewDate', '2027-13-45'],
				['affected', 'NOT AN ID'],
				['experts', new Blob(['a file'])]
			])
		);
		expect(out).toEqual({
			ok: false,
			errors: {
				title: 'too_long',
				situation: 'invalid',
				area: 'invalid',
				reviewDate: 'invalid',
				affected: 'invalid',
				experts: 'invalid'
			}
		});
		// Line breaks are text, not control characters.
		expect(parseAnnounce(formOf([...texts, ['situation', 'a\nb'], ['experts', 'yanis']])).ok).toBe(
			true
		);
	});

	it('requires how the advice shaped the decision', () => {
		expect(
			parseForm(
				decideSchema,
				formOf([
					['text', 'Décidé'],
					['howShaped', '  ']
				])
			)
		).toEqual({
			ok: false,
			errors: { howShaped: 'required' }
		});
	});
});
