import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addClient, readCards } from '../../src/lib/collab/caseload';
import { parseClientCard } from '../../src/lib/domain/caseload';
import {
	addOmahaProblem,
	ensureCardParts,
	ensureNotes,
	lacksParts,
	notesOf,
	putContact,
	rateOmahaProblem,
	removeContact,
	removeOmahaProblem,
	setFinding,
	setFirstVisitField,
	setRefusedCarers,
	startFirstVisit
} from '../../src/lib/collab/client-card';
import { firstVisitStatus } from '../../src/lib/domain/first-visit';
import { omahaTrend } from '../../src/lib/domain/omaha';

const cardOf = (doc: Y.Doc) => readCards(doc)[0]!.card;
const sync = (a: Y.Doc, b: Y.Doc) => {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
};

describe('client card writers', () => {
	it('keep both findings when two people fill in the first-visit check at once', () => {
		const a = new Y.Doc();
		addClient(a, 'c1', { name: 'Mme Jeanne Roux', address: '', sector: 'Plateau' });
		const b = new Y.Doc();
		sync(a, b);
		setFirstVisitField(a, 'c1', 'date', '2026-11-24');
		setFinding(a, 'c1', 'falls', { level: 'high', note: 'Tapis dans le couloir' });
		setFinding(b, 'c1', 'medication', { level: 'low', note: '' });
		sync(a, b);
		for (const doc of [a, b]) {
			const check = cardOf(doc).firstVisit;
			expect(check?.findings.falls).toEqual({ level: 'high', note: 'Tapis dans le couloir' });
			expect(check?.findings.medication.level).toBe('low');
			expect(firstVisitStatus(check)).toBe('incomplete');
		}
		for (const item of ['access', 'cognition', 'isolation', 'familyCarer'] as const)
			setFinding(a, 'c1', item, { level: 'none', note: '' });
		expect(firstVisitStatus(cardOf(a).firstVisit)).toBe('complete');
	});

	it('add and remove contacts, and set refused carers', () => {
		const doc = new Y.Doc();
		addClient(doc, 'c1', { name: 'M. Henri Faure', address: '', sector: '' });
		putContact(doc, 'c1', {
			id: 'k1',
			kind: 'gp',
			name: 'Dr Martin',
			phone: '04 78 00 00 00',
			note: ''
		});
		putContact(doc, 'c1', {
			id: 'k2',
			kind: 'family',
			name: 'Nathalie Faure',
			phone: '06 12 34 56 78',
			note: 'fille'
		});
		expect(cardOf(doc).contacts.map((c) => c.name)).toEqual(['Nathalie Faure', 'Dr Martin']);
		removeContact(doc, 'c1', 'k1');
		expect(cardOf(doc).contacts.map((c) => c.id)).toEqual(['k2']);
		setRefusedCarers(doc, 'c1', ['u1', 'u1', 'u2']);
		expect(cardOf(doc).refusedCarerIds).toEqual(['u1', 'u2']);
	});

	it('rate an Omaha problem at intake and review, a same-day rating replacing the first', () => {
		const doc = new Y.Doc();
		addClient(doc, 'c1', { name: 'Mme Odette Blanc', address: '', sector: '' });
		addOmahaProblem(doc, 'c1', '42', '2026-06-15');
		addOmahaProblem(doc, 'c1', '42', '2026-06-16'); // already there: unchanged
		rateOmahaProblem(doc, 'c1', '42', {
			date: '2026-06-15',
			knowledge: 2,
			behaviour: 2,
			status: 2
		});
		rateOmahaProblem(doc, 'c1', '42', {
			date: '2026-10-15',
			knowledge: 3,
			behaviour: 2,
			status: 2
		});
		rateOmahaProblem(doc, 'c1', '42', {
			date: '2026-10-15',
			knowledge: 4,
			behaviour: 3,
			status: 3
		});
		const [problem] = cardOf(doc).omaha;
		expect(problem?.addedAt).toBe('2026-06-15');
		expect(problem?.ratings.map((r) => r.knowledge)).toEqual([2, 4]);
		expect(omahaTrend(problem!)).toBe('better');
	});

	it('give an older card its notes only when asked, keeping a plain-text note it had', () => {
		const doc = new Y.Doc();
		doc.getMap('clients').set(
			'old',
			new Y.Map<unknown>([
				['name', 'M. Marcel Roux'],
				['status', 'active'],
				['notes', 'Chien gentil']
			])
		);
		expect(notesOf(doc, 'old')).toBeNull();
		ensureNotes(doc, 'old');
		expect(notesOf(doc, 'old')?.toString()).toBe('Chien gentil');
	});
});

describe('client card writers, more', () => {
	const olderCard = () => {
		const doc = new Y.Doc();
		doc.getMap('clients').set(
			'old',
			new Y.Map<unknown>([
				['name', 'Mme Lucienne Petit'],
				['status', 'active']
			])
		);
		return doc;
	};

	it('keep both contacts when two people add one at once', () => {
		const a = new Y.Doc();
		addClient(a, 'c1', { name: 'Mme Jeanne Roux', address: '', sector: '' });
		const b = new Y.Doc();
		sync(a, b);
		putContact(a, 'c1', { id: 'ka', kind: 'gp', name: 'Dr Martin', phone: '', note: '' });
		putContact(b, 'c1', {
			id: 'kb',
			kind: 'pharmacy',
			name: 'Pharmacie Burdeau',
			phone: '',
			note: ''
		});
		sync(a, b);
		for (const doc of [a, b]) expect(cardOf(doc).contacts.map((c) => c.id)).toEqual(['ka', 'kb']);
	});

	it('give an older card its nested parts once, after which concurrent findings both stay', () => {
		const a = olderCard();
		expect(lacksParts(a, 'old')).toBe(true);
		ensureCardParts(a, 'old');
		expect(lacksParts(a, 'old')).toBe(false);
		expect(notesOf(a, 'old')?.toString()).toBe('');
		const b = new Y.Doc();
		sync(a, b);
		setFinding(a, 'old', 'access', { level: 'low', note: 'Digicode 1234' });
		setFinding(b, 'old', 'isolation', { level: 'high', note: '' });
		sync(a, b);
		for (const doc of [a, b]) {
			const findings = cardOf(doc).firstVisit?.findings;
			expect(findings?.access.level).toBe('low');
			expect(findings?.isolation.level).toBe('high');
		}
	});

	it('start a first-visit check on an older card, and leave one already started as it is', () => {
		const doc = olderCard();
		expect(cardOf(doc).firstVisit).toBeNull();
		startFirstVisit(doc, 'old');
		expect(firstVisitStatus(cardOf(doc).firstVisit)).toBe('missing');
		setFirstVisitField(doc, 'old', 'nurseOnly', true);
		startFirstVisit(doc, 'old');
		expect(cardOf(doc).firstVisit?.nurseOnly).toBe(true);
	});

	it('remove an Omaha problem with its ratings, and ignore a card that does not exist', () => {
		const doc = new Y.Doc();
		addClient(doc, 'c1', { name: 'M. Paul Girard', address: '', sector: '' });
		addOmahaProblem(doc, 'c1', '27', '2026-06-15');
		addOmahaProblem(doc, 'c1', '42', '2026-06-15');
		removeOmahaProblem(doc, 'c1', '27');
		expect(cardOf(doc).omaha.map((p) => p.code)).toEqual(['42']);
		addOmahaProblem(doc, 'nobody', '27', '2026-06-15');
		setFinding(doc, 'nobody', 'falls', { level: 'high', note: '' });
		expect(readCards(doc)).toHaveLength(1);
	});
});

describe('parseClientCard, contacts and refused carers', () => {
	const base = { name: 'Mme Jeanne Roux', status: 'active' };

	it('reads contacts by kind (family, GP, pharmacy, other) then name, with their id', () => {
		const { card, problems } = parseClientCard('c1', {
			...base,
			contacts: {
				k1: { kind: 'pharmacy', name: 'Pharmacie Burdeau', phone: '04 78 28 00 00', note: '' },
				k2: { kind: 'family', name: 'Sylvie Roux', phone: '06 12 34 56 78', note: 'fille' },
				k3: { kind: 'gp', name: 'Dr Martin' },
				k4: { kind: 'family', name: 'Karim Roux', phone: '', note: '' }
			}
		});
		expect(problems).toEqual([]);
		expect(card.contacts.map((c) => c.id)).toEqual(['k4', 'k2', 'k3', 'k1']);
		expect(card.contacts[2]).toEqual({
			id: 'k3',
			kind: 'gp',
			name: 'Dr Martin',
			phone: '',
			note: ''
		});
	});

	it('drops a contact of an unknown kind or without a name, and flags it', () => {
		const { card, problems } = parseClientCard('c1', {
			...base,
			contacts: {
				k1: { kind: 'neighbour', name: 'Mme Blanc' },
				k2: { kind: 'gp', phone: '04 78 00 00 00' },
				k3: 'Dr Martin',
				k4: { kind: 'other', name: 'Voisine (clé)', phone: '06 11 22 33 44', note: '' }
			}
		});
		expect(problems).toEqual(['contacts-invalid']);
		expect(card.contacts.map((c) => c.id)).toEqual(['k4']);
		expect(parseClientCard('c1', { ...base, contacts: ['Dr Martin'] }).problems).toEqual([
			'contacts-invalid'
		]);
	});

	it('reads refused carers once each, and flags a list that is not of member ids', () => {
		expect(
			parseClientCard('c1', { ...base, refusedCarerIds: ['u1', 'u2', 'u1'] }).card.refusedCarerIds
		).toEqual(['u1', 'u2']);
		expect(parseClientCard('c1', base).card.refusedCarerIds).toEqual([]);
		for (const refusedCarerIds of ['u1', ['u1', 7], { u1: true }]) {
			const { card, problems } = parseClientCard('c1', { ...base, refusedCarerIds });
			expect(problems).toEqual(['carer-invalid']);
			expect(card.refusedCarerIds).toEqual([]);
		}
	});

	it('flags a first-visit check or Omaha problems that do not fit', () => {
		const { card, problems } = parseClientCard('c1', {
			...base,
			firstVisit: { nurseOnly: 'yes' },
			omaha: { '99': { code: '99', ratings: [] } }
		});
		expect(problems).toEqual(['first-visit-invalid', 'omaha-invalid']);
		expect(card.firstVisit?.nurseOnly).toBe(false);
		expect(card.omaha).toEqual([]);
	});
});
