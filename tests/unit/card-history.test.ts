import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addClient, clientsOf } from '../../src/lib/collab/caseload';
import { groupHistory, HISTORY_GROUP_MS, topicOf } from '../../src/lib/domain/card-history';
import { touchedPaths, type TouchedPath } from '../../src/lib/server/collab/engine/changes';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 8, minutes));

/** What each transaction on the document touched, in order. */
function recordTouches(doc: Y.Doc): TouchedPath[][] {
	const seen: TouchedPath[][] = [];
	doc.on('afterTransaction', (tr: Y.Transaction) => seen.push(touchedPaths(doc, tr)));
	return seen;
}

describe('touchedPaths', () => {
	it('names the card and the field each change touched, never the values', () => {
		const doc = new Y.Doc();
		const seen = recordTouches(doc);
		addClient(doc, 'c1', { name: 'Mme Jeanne Roux', address: '', sector: 'Plateau' });
		const card = clientsOf(doc).get('c1')!;
		card.set('name', 'Mme Jeanne Roux-Perrin');
		(card.get('carePlan') as Y.Text).insert(0, 'Toilette');
		const firstVisit = new Y.Map<unknown>();
		card.set('firstVisit', firstVisit);
		firstVisit.set('falls', { level: 'high', note: '' });
		expect(seen).toEqual([
			[
				{ entry: 'meta/schemaVersion', field: '' },
				{ entry: 'clients/c1', field: '' }
			],
			[{ entry: 'clients/c1', field: 'name' }],
			[{ entry: 'clients/c1', field: 'carePlan' }],
			[{ entry: 'clients/c1', field: 'firstVisit' }],
			[{ entry: 'clients/c1', field: 'firstVisit/falls' }]
		]);
		expect(JSON.stringify(seen)).not.toContain('Roux');
	});

	it('collapses a huge transaction to the entries it touched', () => {
		const doc = new Y.Doc();
		const seen = recordTouches(doc);
		doc.transact(() => {
			for (let i = 0; i < 300; i++) doc.getMap('absences').set(`a${i}`, { i });
		});
		expect(seen[0]!.length).toBeLessThanOrEqual(200);
		expect(seen[0]!.every((t) => t.field === '')).toBe(true);
	});
});

describe('groupHistory', () => {
	it('reads field paths as topics a person understands', () => {
		expect(topicOf('')).toBe('created');
		expect(topicOf('carePlan')).toBe('carePlan');
		expect(topicOf('firstVisit/falls')).toBe('firstVisit');
		expect(topicOf('primaryCarerId')).toBe('carer');
		expect(topicOf('somethingNew')).toBe('other');
	});

	it('groups a burst of typing by one person into one line, latest first', () => {
		const lines = groupHistory([
			{ userId: 'a', field: 'carePlan', at: at(0) },
			{ userId: 'a', field: 'carePlan', at: at(1) },
			{ userId: 'a', field: 'carePlan', at: at(2) },
			{ userId: 'b', field: 'status', at: at(3) },
			{ userId: 'a', field: 'carePlan', at: at(4) }
		]);
		expect(lines.map((l) => [l.userId, l.topic, l.changes])).toEqual([
			['a', 'carePlan', 1],
			['b', 'status', 1],
			['a', 'carePlan', 3]
		]);
		expect(lines[2]!.since).toEqual(at(0));
		expect(lines[2]!.at).toEqual(at(2));
	});

	it('starts a new line after a pause longer than the grouping window', () => {
		const later = new Date(at(0).getTime() + HISTORY_GROUP_MS + 60_000);
		const lines = groupHistory([
			{ userId: 'a', field: 'needs', at: at(0) },
			{ userId: 'a', field: 'needs', at: later }
		]);
		expect(lines).toHaveLength(2);
	});

	it('folds the field writes that come with a card’s creation into the creation', () => {
		const lines = groupHistory([
			{ userId: 'a', field: '', at: at(0) },
			{ userId: 'a', field: 'name', at: at(0) },
			{ userId: 'a', field: 'name', at: at(30) }
		]);
		expect(lines.map((l) => l.topic)).toEqual(['identity', 'created']);
	});

	it('is empty for a card nobody changed', () => {
		expect(groupHistory([])).toEqual([]);
	});
});
