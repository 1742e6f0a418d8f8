import { describe, expect, it } from 'vitest';
import {
	hasAccessNotes,
	parseAccessNotes,
	parseClientCard,
	readTransmissions,
	type ClientCard,
	type Transmission
} from '../../src/lib/domain/caseload';
import {
	doorFlags,
	doorTransmissions,
	isNewSince,
	lastReads,
	lastVisitEnds,
	later,
	mapsLink,
	myDay,
	notYetReadBy,
	parseDayParam,
	parseReads,
	readersByTransmission,
	readKey,
	readsAtOpening,
	urgentAhead
} from '../../src/lib/domain/day';
import type { Visit } from '../../src/lib/domain/rota';
import { wallClockToInstant } from '../../src/lib/domain/time-zone';

const complete = {
	date: '2026-09-01',
	introducedBy: 'u2',
	newCarerId: 'u1',
	nurseOnly: false,
	twoCarers: false,
	access: { level: 'low', note: '' },
	falls: { level: 'none', note: '' },
	medication: { level: 'none', note: '' },
	cognition: { level: 'none', note: '' },
	isolation: { level: 'none', note: '' },
	familyCarer: { level: 'none', note: '' }
};

function card(id: string, name: string, extra: Record<string, unknown> = {}): ClientCard {
	return parseClientCard(id, {
		name,
		status: 'active',
		address: '3 rue Belfort',
		firstVisit: complete,
		...extra
	}).card;
}

let n = 0;
function visit(partial: Partial<Visit> & Pick<Visit, 'clientId' | 'date' | 'start'>): Visit {
	return {
		id: `v${++n}`,
		minutes: 30,
		carerId: 'me',
		qualification: 'any',
		changedAt: null,
		...partial
	};
}

const note = (id: string, at: string, authorId = 'u2', urgent = false): Transmission => ({
	id,
	at,
	authorId,
	authorName: authorId,
	text: `note ${id}`,
	urgent
});

describe('myDay', () => {
	const cards = new Map([
		['a', card('a', 'Mme Alice Roux')],
		['b', card('b', 'M. Bernard Faure')],
		['c', card('c', 'Mme Chantal Blanc')]
	]);

	it('lists only my visits of that day, by start time, then by client name', () => {
		const visits = [
			visit({ clientId: 'a', date: '2026-12-03', start: 600 }),
			visit({ clientId: 'c', date: '2026-12-03', start: 480 }),
			visit({ clientId: 'b', date: '2026-12-03', start: 480 }),
			visit({ clientId: 'a', date: '2026-12-04', start: 420 }),
			visit({ clientId: 'a', date: '2026-12-03', start: 420, carerId: 'u2' }),
			visit({ clientId: 'b', date: '2026-12-03', start: 900, carerId: null })
		];
		const day = myDay({ me: 'me', date: '2026-12-03', visits, cards });
		expect(day.map((d) => [d.card?.name, d.visit.start])).toEqual([
			['M. Bernard Faure', 480],
			['Mme Chantal Blanc', 480],
			['Mme Alice Roux', 600]
		]);
	});

	it('counts a visit once when two weeks’ lists overlap, and keeps a visit whose card is missing', () => {
		const v = visit({ clientId: 'zz', date: '2026-12-03', start: 500 });
		const day = myDay({ me: 'me', date: '2026-12-03', visits: [v, v], cards });
		expect(day).toHaveLength(1);
		expect(day[0]!.card).toBeNull();
		expect(day[0]!.flags).toEqual([]);
	});

	it('names the colleague on an overlapping visit to the same client', () => {
		const visits = [
			visit({ clientId: 'a', date: '2026-12-03', start: 480, minutes: 45 }),
			visit({ clientId: 'a', date: '2026-12-03', start: 500, carerId: 'u2' }),
			visit({ clientId: 'a', date: '2026-12-03', start: 600, carerId: 'u3' }),
			visit({ clientId: 'b', date: '2026-12-03', start: 480, carerId: 'u4' })
		];
		expect(myDay({ me: 'me', date: '2026-12-03', visits, cards })[0]!.partnerIds).toEqual(['u2']);
	});
});

describe('doorFlags', () => {
	const v = visit({ clientId: 'a', date: '2026-12-03', start: 480 });

	it('says nothing for a client with a complete check and no restriction', () => {
		expect(doorFlags(v, card('a', 'A'), 'me')).toEqual([]);
	});

	it('flags a first visit not yet done, from the first-visit rule', () => {
		expect(doorFlags(v, card('a', 'A', { firstVisit: undefined }), 'me')).toEqual(['first-visit']);
		expect(doorFlags(v, card('a', 'A', { firstVisit: { ...complete, date: null } }), 'me')).toEqual(
			['first-visit']
		);
		// A paused client's check does not matter today.
		expect(doorFlags(v, card('a', 'A', { firstVisit: undefined, status: 'paused' }), 'me')).toEqual(
			[]
		);
	});

	it('flags nurse-only from the check or the visit, two carers, and refused carers', () => {
		const restricted = card('a', 'A', {
			firstVisit: { ...complete, nurseOnly: true, twoCarers: true },
			refusedCarerIds: ['u9']
		});
		expect(doorFlags(v, restricted, 'me')).toEqual(['nurse-only', 'two-carers', 'refused-others']);
		expect(doorFlags({ ...v, qualification: 'nurse' }, card('a', 'A'), 'me')).toEqual([
			'nurse-only'
		]);
		// The client refused me: said first.
		const refusedMe = card('a', 'A', { refusedCarerIds: ['me', 'u9'] });
		expect(doorFlags(v, refusedMe, 'me')).toEqual(['refused-me']);
	});
});

describe('new since my last visit', () => {
	const visits = [
		visit({ clientId: 'a', date: '2026-12-01', start: 480, minutes: 30 }),
		visit({ clientId: 'a', date: '2026-12-02', start: 480, minutes: 30 }),
		visit({ clientId: 'a', date: '2026-12-04', start: 480, minutes: 30 }),
		visit({ clientId: 'b', date: '2026-12-02', start: 600, carerId: 'u2' })
	];
	const now = new Date('2026-12-03T10:00:00Z');

	it('takes the end of my latest visit already over, per client', () => {
		const last = lastVisitEnds(visits, 'me', now);
		// 2 December, 8 h 30 in Paris (UTC+1).
		expect(last.get('a')).toBe(Date.parse('2026-12-02T07:30:00Z'));
		expect(last.has('b')).toBe(false);
	});

	it('counts colleagues’ notes written after the later of my last visit and my last read', () => {
		const lastVisit = Date.parse('2026-12-02T07:30:00Z');
		const lastRead = Date.parse('2026-12-02T18:00:00Z');
		const since = later(lastVisit, lastRead);
		expect(since).toBe(lastRead);
		expect(isNewSince(note('1', '2026-12-02T12:00:00Z'), 'me', since)).toBe(false);
		expect(isNewSince(note('2', '2026-12-02T19:00:00Z'), 'me', since)).toBe(true);
		// My own note is never new to me.
		expect(isNewSince(note('3', '2026-12-02T19:00:00Z', 'me'), 'me', since)).toBe(false);
		// Only a visit: what came after it is new.
		expect(isNewSince(note('1', '2026-12-02T12:00:00Z'), 'me', later(lastVisit, null))).toBe(true);
		// Never visited nor read: everything a colleague wrote is new.
		expect(isNewSince(note('0', '2020-01-01T00:00:00Z'), 'me', later(null, undefined))).toBe(true);
	});

	it('reads receipts from the flat reads map, ignoring malformed ones', () => {
		const receipts = parseReads({
			[readKey('a', 't1', 'me')]: '2026-12-02T18:00:00Z',
			[readKey('a', 't2', 'me')]: '2026-12-01T18:00:00Z',
			[readKey('a', 't1', 'u3')]: '2026-12-02T19:00:00Z',
			[readKey('b', 't9', 'me')]: '2026-12-03T08:00:00Z',
			'a:t1': '2026-12-02T18:00:00Z',
			'a:t3:u4': 'yesterday',
			'a:t4:u5': 42
		});
		expect(receipts).toHaveLength(4);
		expect(lastReads(receipts, 'me')).toEqual(
			new Map([
				['a', Date.parse('2026-12-02T18:00:00Z')],
				['b', Date.parse('2026-12-03T08:00:00Z')]
			])
		);
		const readers = readersByTransmission(receipts);
		expect(
			notYetReadBy(note('t1', '2026-12-02T17:00:00Z', 'u2'), ['me', 'u2', 'u3', 'u4'], readers)
		).toEqual(['u4']);
		expect(notYetReadBy(note('t5', '2026-12-02T17:00:00Z', 'u2'), ['me', 'u2'], readers)).toEqual([
			'me'
		]);
	});

	it('counts only the receipts there when the page opened, so a note read meanwhile stays new', () => {
		const atOpening = readsAtOpening();
		const before = { clientId: 'a', transmissionId: 't1', userId: 'me', at: 1_000 };
		expect(atOpening([before])).toEqual([before]);
		// Read while the page is open, on this screen or another of mine: still new here.
		const meanwhile = { clientId: 'a', transmissionId: 't2', userId: 'me', at: 5_000 };
		const counted = atOpening([before, meanwhile]);
		expect(counted).toEqual([before]);
		const since = later(null, lastReads(counted, 'me').get('a'));
		expect(isNewSince(note('t2', new Date(3_000).toISOString()), 'me', since)).toBe(true);
		// Coming back: a fresh page counts it.
		expect(readsAtOpening()([before, meanwhile])).toEqual([before, meanwhile]);
	});

	it('shows at the door the new urgent notes first, then the latest', () => {
		const entries = [
			note('old-urgent', '2026-11-20T08:00:00Z', 'u2', true),
			note('n1', '2026-12-02T09:00:00Z'),
			note('n2', '2026-12-02T10:00:00Z'),
			note('urgent', '2026-12-02T08:00:00Z', 'u2', true),
			note('n3', '2026-12-02T11:00:00Z')
		];
		const since = Date.parse('2026-12-01T00:00:00Z');
		expect(doorTransmissions(entries, 'me', since).map((t) => t.id)).toEqual([
			'urgent',
			'n3',
			'n2'
		]);
	});
});

describe('urgentAhead', () => {
	const now = new Date('2026-12-03T09:00:00Z'); // 10 h in Paris
	const visits = [
		visit({ clientId: 'a', date: '2026-12-04', start: 480 }), // tomorrow
		visit({ clientId: 'b', date: '2026-12-06', start: 480 }), // in three days
		visit({ clientId: 'c', date: '2026-12-03', start: 585, minutes: 30 }), // under way now
		visit({ clientId: 'd', date: '2026-12-04', start: 480, carerId: 'u2' }) // someone else's
	];
	const transmissions = new Map<string, Transmission[]>([
		[
			'a',
			[
				note('a-urgent', '2026-12-02T18:00:00Z', 'u2', true),
				note('a-plain', '2026-12-02T19:00:00Z')
			]
		],
		['b', [note('b-urgent', '2026-12-02T18:00:00Z', 'u2', true)]],
		[
			'c',
			[
				note('c-urgent', '2026-12-01T18:00:00Z', 'u3', true),
				note('c-mine', '2026-12-02T18:00:00Z', 'me', true)
			]
		],
		['d', [note('d-urgent', '2026-12-02T18:00:00Z', 'u2', true)]]
	]);

	it('brings up colleagues’ urgent notes about clients I visit within 48 hours, soonest visit first', () => {
		const notes = urgentAhead({ me: 'me', now, visits, transmissions, lastVisit: new Map() });
		expect(notes.map((n) => n.transmission.id)).toEqual(['c-urgent', 'a-urgent']);
	});

	it('drops a note once I have been there since it was written, and old notes when I never went', () => {
		const lastVisit = new Map([['a', Date.parse('2026-12-02T19:30:00Z')]]);
		expect(
			urgentAhead({ me: 'me', now, visits, transmissions, lastVisit }).map((n) => n.transmission.id)
		).toEqual(['c-urgent']);
		const old = new Map([['a', [note('a-old', '2026-11-01T18:00:00Z', 'u2', true)]]]);
		expect(
			urgentAhead({ me: 'me', now, visits, transmissions: old, lastVisit: new Map() })
		).toEqual([]);
	});

	it('uses Paris wall-clock times for the 48-hour window', () => {
		const edge = [visit({ clientId: 'a', date: '2026-12-05', start: 600 })]; // 5 Dec 10 h Paris = 9 h UTC
		expect(wallClockToInstant('2026-12-05', 600).toISOString()).toBe('2026-12-05T09:00:00.000Z');
		expect(
			urgentAhead({ me: 'me', now, visits: edge, transmissions, lastVisit: new Map() })
		).toHaveLength(1);
		const beyond = [visit({ clientId: 'a', date: '2026-12-05', start: 601 })];
		expect(
			urgentAhead({ me: 'me', now, visits: beyond, transmissions, lastVisit: new Map() })
		).toHaveLength(0);
	});
});

describe('the card’s new parts', () => {
	it('reads access notes, older cards as empty, and flags a wrong shape', () => {
		expect(parseAccessNotes(undefined)).toEqual({
			access: { keyBox: '', doorCode: '', floor: '', dog: '', other: '' },
			ok: true
		});
		const { access, ok } = parseAccessNotes({ keyBox: 'Boîte à clés 1234', floor: 3, dog: 'Rex' });
		expect(ok).toBe(false);
		expect(access).toMatchObject({ keyBox: 'Boîte à clés 1234', floor: '', dog: 'Rex' });
		expect(hasAccessNotes(access)).toBe(true);
		expect(
			parseClientCard('a', { name: 'A', status: 'active', access: 'code 12' }).problems
		).toEqual(['access-invalid']);
	});

	it('reads the urgent flag of a transmission, older entries as not urgent', () => {
		const [plain, urgent] = readTransmissions([
			{ id: 'p', at: '2026-12-02T10:00:00Z', authorId: 'u', authorName: 'U', text: 'x' },
			{
				id: 'u',
				at: '2026-12-01T10:00:00Z',
				authorId: 'u',
				authorName: 'U',
				text: 'y',
				urgent: true
			}
		]);
		expect(plain!.urgent).toBe(false);
		expect(urgent!.urgent).toBe(true);
	});
});

describe('the day’s small helpers', () => {
	it('makes a maps link with the address encoded, none for no address', () => {
		expect(mapsLink('12 rue d’Austerlitz, Lyon')).toBe(
			'https://www.google.com/maps/search/?api=1&query=12%20rue%20d%E2%80%99Austerlitz%2C%20Lyon'
		);
		expect(mapsLink('  ')).toBeNull();
	});

	it('accepts only real dates for ?date=', () => {
		expect(parseDayParam('2026-12-04')).toBe('2026-12-04');
		expect(parseDayParam('2026-02-30')).toBeNull();
		expect(parseDayParam('demain')).toBeNull();
		expect(parseDayParam(null)).toBeNull();
	});
});

describe('the offline copy checks', () => {
	it('accepts a whole copy, and refuses an unreadable or partial one', async () => {
		const { checkUpdates } = await import('../../src/lib/collab/offline-copy');
		const { isQuotaError } = await import('../../src/lib/domain/offline-cache');
		const Y = await import('yjs');
		const doc = new Y.Doc();
		const updates: Uint8Array[] = [];
		doc.on('update', (u: Uint8Array) => updates.push(u));
		doc.getMap('clients').set('a', 'one');
		doc.getMap('clients').set('b', 'two');
		doc.getMap('clients').set('a', 'three');
		expect(checkUpdates(updates)).toBe('ok');
		// Lose the first update: the later ones depend on it.
		expect(checkUpdates(updates.slice(1))).toBe('partial');
		expect(checkUpdates([new Uint8Array([1, 200, 3])])).toBe('unreadable');
		expect(isQuotaError(new DOMException('full', 'QuotaExceededError'))).toBe(true);
		expect(isQuotaError(new DOMException('gone', 'AbortError'))).toBe(false);
		expect(isQuotaError(null)).toBe(false);
	});
});
