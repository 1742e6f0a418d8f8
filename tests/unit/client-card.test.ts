import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addClient, readCards } from '../../src/lib/collab/caseload';
import {
	addOmahaProblem,
	ensureNotes,
	notesOf,
	putContact,
	rateOmahaProblem,
	removeContact,
	setFinding,
	setFirstVisitField,
	setRefusedCarers
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
