import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addCard, cardsOf, kaizenContentCheck, setField } from '../../src/lib/collab/kaizen';
import { versionStatuses, standardFormSchema } from '../../src/lib/domain/care-standard';
import { clientDataIn, clientSecrets } from '../../src/lib/domain/client-data';
import { documentAccess, parseDocumentName } from '../../src/lib/domain/documents';
import {
	adoptionRefusal,
	boardProblem,
	checkField,
	emptyCard,
	KAIZEN_LIMITS,
	meetingKaizen,
	moveCard,
	parseCard,
	shownState,
	standardDraftFromCard,
	type KaizenCard
} from '../../src/lib/domain/kaizen';

const card = (over: Partial<KaizenCard> = {}): KaizenCard => ({
	id: 'c',
	...emptyCard('2026-11-20T08:00:00.000Z'),
	...over
});

describe('the kaizen document name', () => {
	it('is a team document members write and coaches never open', () => {
		const doc = parseDocumentName('team/abcdefghijklmnopqrstuvwx/kaizen');
		expect(doc).toEqual({ kind: 'kaizen', teamId: 'abcdefghijklmnopqrstuvwx' });
		expect(documentAccess(doc!, 'member')).toBe('write');
		expect(documentAccess(doc!, 'coach')).toBe('none');
		expect(documentAccess(doc!, null)).toBe('none');
		expect(parseDocumentName('team/abcdefghijklmnopqrstuvwx/kaizen/x')).toBeNull();
	});
});

describe('card moves', () => {
	it('starts a test only with a problem, a countermeasure to test and its check day', () => {
		expect(moveCard(card(), 'start-test', 'open')).toEqual({
			ok: false,
			reason: 'problem-required'
		});
		expect(moveCard(card({ title: 'Chutes' }), 'start-test', 'open')).toEqual({
			ok: false,
			reason: 'test-required'
		});
		expect(moveCard(card({ title: 'Chutes', test: 'À deux' }), 'start-test', 'open')).toEqual({
			ok: false,
			reason: 'check-date-required'
		});
		expect(
			moveCard(
				card({ title: 'Chutes', test: 'À deux', checkOn: '2026-12-01' }),
				'start-test',
				'open'
			)
		).toEqual({ ok: true, state: 'testing' });
	});

	it('drops only with a result, reopens a dropped card, and never moves an adopted one', () => {
		expect(moveCard(card(), 'drop', 'open')).toEqual({ ok: false, reason: 'result-required' });
		expect(moveCard(card({ result: 'Sans effet' }), 'drop', 'open')).toEqual({
			ok: true,
			state: 'dropped'
		});
		expect(moveCard(card({ state: 'dropped' }), 'reopen', 'dropped')).toEqual({
			ok: true,
			state: 'open'
		});
		expect(moveCard(card({ state: 'testing' }), 'back-to-analysis', 'testing')).toEqual({
			ok: true,
			state: 'open'
		});
		expect(moveCard(card({ state: 'open' }), 'back-to-analysis', 'open')).toEqual({
			ok: false,
			reason: 'not-testing'
		});
		expect(moveCard(card({ state: 'testing', result: 'x' }), 'drop', 'adopted')).toEqual({
			ok: false,
			reason: 'adopted'
		});
	});

	it('asks for adoption only from a test with its result, once', () => {
		expect(adoptionRefusal(card(), 'open')).toBe('not-testing');
		expect(adoptionRefusal(card({ state: 'testing' }), 'testing')).toBe('result-required');
		expect(adoptionRefusal(card({ state: 'testing', result: 'ok' }), 'testing')).toBeNull();
		expect(adoptionRefusal(card({ state: 'testing', result: 'ok' }), 'proposed')).toBe('adopted');
	});

	it('shows the decision’s word over the card’s own state', () => {
		expect(shownState({ state: 'testing' }, null)).toBe('testing');
		expect(shownState({ state: 'testing' }, 'round')).toBe('proposed');
		expect(shownState({ state: 'testing' }, 'adopted')).toBe('adopted');
		expect(shownState({ state: 'testing' }, 'lapsed')).toBe('testing');
	});
});

describe('limits', () => {
	it('refuses a field one character over its limit, and control characters in a line', () => {
		expect(checkField('what', 'x'.repeat(KAIZEN_LIMITS.text))).toEqual({ ok: true });
		expect(checkField('what', 'x'.repeat(KAIZEN_LIMITS.text + 1))).toEqual({
			ok: false,
			code: 'too_long'
		});
		expect(checkField('title', 'a\u0000b')).toEqual({ ok: false, code: 'invalid' });
		expect(checkField('checkOn', '2026-13')).toEqual({ ok: false, code: 'invalid' });
		expect(checkField('figure', 'coverage')).toEqual({ ok: true });
		expect(checkField('figure', 'nonsense')).toEqual({ ok: false, code: 'invalid' });
	});

	it('checks a whole board: cards, fields, unknown keys', () => {
		const doc = new Y.Doc();
		addCard(doc, 'a', { title: 'Chutes' });
		expect(kaizenContentCheck(doc)).toBeNull();
		setField(doc, 'a', 'title', 'x'.repeat(KAIZEN_LIMITS.title + 1));
		expect(kaizenContentCheck(doc)).toBe('card a: title too_long');
		setField(doc, 'a', 'title', 'ok');
		cardsOf(doc).get('a')!.set('secret', 'x');
		expect(kaizenContentCheck(doc)).toBe('card a: secret invalid');
		const other = new Y.Doc();
		other.getMap('clients').set('x', 'y');
		expect(kaizenContentCheck(other)).toBe('unknown key clients');
		const cards: Record<string, unknown> = {};
		for (let i = 0; i <= KAIZEN_LIMITS.cards; i++) cards[`c${i}`] = {};
		expect(boardProblem({ cards })).toEqual({ kind: 'too-many-cards', max: KAIZEN_LIMITS.cards });
	});

	it('reads older cards with missing fields as empty, and rejects broken ones', () => {
		expect(parseCard('x', { title: 'Chutes' })).toMatchObject({ title: 'Chutes', state: 'open' });
		expect(parseCard('x', { title: 7 })).toBeNull();
		expect(parseCard('x', 'text')).toBeNull();
	});
});

describe('the meeting’s kaizen step', () => {
	it('lists cards due for a check and problems raised since the last meeting', () => {
		const cards = [
			card({ id: 'due', state: 'testing', checkOn: '2026-12-01' }),
			card({ id: 'later', state: 'testing', checkOn: '2026-12-20' }),
			card({ id: 'new', createdAt: '2026-11-28T09:00:00.000Z' }),
			card({ id: 'old', createdAt: '2026-11-01T09:00:00.000Z' })
		];
		const out = meetingKaizen(cards, { heldOn: '2026-12-01', since: '2026-11-24' });
		expect(out.due.map((c) => c.id)).toEqual(['due']);
		expect(out.fresh.map((c) => c.id)).toEqual(['new']);
	});
});

describe('client data in a text', () => {
	const people = [
		{
			name: 'Mme Josette Perrin',
			address: '12 rue Dumenge',
			contacts: [{ name: 'Luc Perrin', phone: '06 11 22 33 44' }]
		},
		{ name: 'M. Paul Petit' }
	];
	it('finds full strings whatever the case and accents, and family names written as names', () => {
		expect(clientDataIn('Chez MME JOSÉTTE PERRIN', people)).toContain('Mme Josette Perrin');
		expect(clientDataIn('au 12, rue Dumenge', people)).toContain('12 rue Dumenge');
		expect(clientDataIn('Perrin a chuté', people)).toEqual(['Perrin']);
		// A common word that is also a name counts only written as a name.
		expect(clientDataIn('un petit coussin', people)).toEqual([]);
		expect(clientDataIn('Le lever à deux évite les chutes.', people)).toEqual([]);
	});

	it('is the list the coach crawl looks for', () => {
		expect(clientSecrets(people)).toEqual([
			'Mme Josette Perrin',
			'12 rue Dumenge',
			'Luc Perrin',
			'06 11 22 33 44',
			'M. Paul Petit'
		]);
	});
});

describe('care standard versions', () => {
	const v = (
		number: number,
		stage: string,
		closedAt: string | null,
		kind: 'consent' | 'advice' = 'consent'
	) => ({
		number,
		decision: { kind, stage, closedAt }
	});
	it('makes current the version adopted last, keeps the others as history', () => {
		const statuses = versionStatuses([
			v(1, 'adopted', '2026-01-01'),
			v(2, 'decided', '2026-03-01', 'advice'),
			v(3, 'round', null),
			v(4, 'lapsed', '2026-04-01')
		]);
		expect([...statuses]).toEqual([
			[1, 'earlier'],
			[2, 'current'],
			[3, 'proposed'],
			[4, 'not-adopted']
		]);
		expect([...versionStatuses([v(1, 'questions', null)])]).toEqual([[1, 'proposed']]);
	});

	it('reads the form: lists one item a line, each bounded', () => {
		const ok = standardFormSchema.safeParse({
			title: 'Injection d’insuline',
			appliesWhen: 'Prescription',
			steps: 'Se laver les mains\n\n  Vérifier la dose ',
			materials: '',
			safety: '',
			whoToCall: ''
		});
		expect(ok.success && ok.data.steps).toEqual(['Se laver les mains', 'Vérifier la dose']);
		const tooLong = standardFormSchema.safeParse({
			title: 'x',
			appliesWhen: 'x',
			steps: 'x'.repeat(501),
			materials: '',
			safety: '',
			whoToCall: ''
		});
		expect(tooLong.success).toBe(false);
		const noSteps = standardFormSchema.safeParse({
			title: 'x',
			appliesWhen: 'x',
			steps: '\n',
			materials: '',
			safety: '',
			whoToCall: ''
		});
		expect(noSteps.success).toBe(false);
	});
});

describe('a standard drafted from a card', () => {
	it('takes the tested countermeasure as steps, one a line, and what was seen and changed as why', () => {
		const draft = standardDraftFromCard(
			card({
				title: ' Chutes au lever ',
				where: 'Au domicile',
				what: 'Trois chutes',
				countermeasures: 'Autre idée',
				test: 'Fauteuil préparé la veille\n\n  Chaussures fermées  \r\nTransfert selon le standard',
				result: 'Aucune chute en un mois'
			})
		);
		expect(draft).toEqual({
			title: 'Chutes au lever',
			appliesWhen: 'Au domicile',
			steps: ['Fauteuil préparé la veille', 'Chaussures fermées', 'Transfert selon le standard'],
			why: 'Trois chutes\n\nAucune chute en un mois'
		});
		// Without a test written, the countermeasures; the form's limits hold whatever the card says.
		const long = standardDraftFromCard(
			card({
				test: '',
				countermeasures: Array.from({ length: 40 }, () => 'x'.repeat(600)).join('\n')
			})
		);
		expect(long.steps).toHaveLength(30);
		expect(standardFormSchema.shape.steps.safeParse(long.steps.join('\n')).success).toBe(true);
	});
});
