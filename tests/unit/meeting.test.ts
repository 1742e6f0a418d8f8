import { describe, expect, it } from 'vitest';
import { apply, newDecision, type Decision, type Move } from '../../src/lib/domain/consent';
import {
	agendaOf,
	buildMinutes,
	isStep,
	minuteOf,
	nextMeetingDay,
	parseAgendaItem,
	presentOf
} from '../../src/lib/domain/meeting';

const now = new Date('2026-12-08T13:30:00Z');

function decided(moves: Move[], participants = ['a', 'b', 'c']): Decision {
	let d = newDecision({
		id: 'd1',
		title: 'Samedis',
		driver: 'Trop chargé',
		text: 'Deux personnes',
		area: 'rota',
		reviewDate: '2027-03-01',
		proposerId: 'a',
		participants,
		mode: 'meeting',
		now
	});
	for (const move of moves) {
		const out = apply(d, move, now);
		if (!out.ok) throw new Error(out.reason);
		d = out.decision;
	}
	return d;
}

describe('the meeting', () => {
	it('falls on the team’s weekday, today included', () => {
		expect(nextMeetingDay('2026-12-02', 2)).toBe('2026-12-08'); // a Wednesday → next Tuesday
		expect(nextMeetingDay('2026-12-08', 2)).toBe('2026-12-08'); // a Tuesday → that day
		expect(nextMeetingDay('2026-12-07', 7)).toBe('2026-12-13'); // Monday → Sunday
	});

	it('knows its steps', () => {
		expect(isStep('check-in')).toBe(true);
		expect(isStep('coffee')).toBe(false);
	});

	it('reads agenda items that fit their shape, in the order they were brought', () => {
		const items = agendaOf([
			['2', { title: 'Second', kind: 'question', by: 'b', at: '2026-12-03T10:00:00Z' }],
			[
				'1',
				{ title: '  Premier ', kind: 'proposal', by: 'a', at: '2026-12-02T10:00:00Z', done: true }
			],
			['3', { title: '', kind: 'proposal' }],
			['4', 'not an item'],
			['5', { title: 'Sans type', kind: 'party', at: '2026-12-04T10:00:00Z' }]
		]);
		expect(items.map((i) => [i.id, i.title, i.kind, i.done])).toEqual([
			['1', 'Premier', 'proposal', true],
			['2', 'Second', 'question', false],
			['5', 'Sans type', 'information', false]
		]);
		expect(parseAgendaItem('x', { title: 'a'.repeat(500) })?.title).toHaveLength(200);
	});

	it('counts as present the members who checked in, and nobody else', () => {
		expect(
			presentOf(
				[
					['b', 'En forme'],
					['outsider', 'Bonjour'],
					['c', 42]
				],
				['a', 'b', 'c']
			)
		).toEqual(['b']);
	});

	it('writes in the minutes who consented, the concerns, and the objection the amendment took in', () => {
		const d = decided([
			{ type: 'open-round', by: 'a' },
			{ type: 'answer', by: 'b', version: 1, kind: 'objection', reason: 'Personne de formé' },
			{ type: 'amend', by: 'a', text: 'Deux personnes dont une formée' },
			{ type: 'answer', by: 'a', version: 2, kind: 'consent', reason: '' },
			{ type: 'answer', by: 'b', version: 2, kind: 'concern', reason: 'À revoir en mars' },
			{ type: 'answer', by: 'c', version: 2, kind: 'consent', reason: '' }
		]);
		expect(d.stage).toBe('adopted');
		expect(minuteOf(d)).toEqual({
			id: 'd1',
			title: 'Samedis',
			stage: 'adopted',
			version: 2,
			text: 'Deux personnes dont une formée',
			consented: ['a', 'c'],
			concerns: [{ by: 'b', reason: 'À revoir en mars' }],
			objections: [],
			integrated: [{ by: 'b', reason: 'Personne de formé' }],
			reviewDate: '2027-03-01'
		});
	});

	it('lists what was decided before what is still open', () => {
		const open = { ...decided([{ type: 'open-round', by: 'a' }]), id: 'open' };
		const done = decided(
			[
				{ type: 'open-round', by: 'a' },
				...['a', 'b'].map((by) => ({
					type: 'answer' as const,
					by,
					version: 1,
					kind: 'consent' as const,
					reason: ''
				}))
			],
			['a', 'b']
		);
		const minutes = buildMinutes({
			heldOn: '2026-12-08',
			facilitatorId: 'b',
			noteTakerId: null,
			present: ['a', 'b'],
			agenda: [],
			decisions: [open, done],
			elections: [{ roleName: 'Planificateur·rice', electedId: 'c' }],
			coachCalls: ['Le planning'],
			notes: 'x'.repeat(30_000)
		});
		expect(minutes.decisions.map((d) => [d.id, d.stage])).toEqual([
			['d1', 'adopted'],
			['open', 'round']
		]);
		expect(minutes.notes).toHaveLength(20_000);
		expect(minutes.elections).toEqual([{ roleName: 'Planificateur·rice', electedId: 'c' }]);
	});
});
