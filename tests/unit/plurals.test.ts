import { describe, expect, it } from 'vitest';
import { elidesBefore } from '../../src/lib/domain/format';
import { elision, formatDate } from '../../src/lib/i18n/format';
import { m } from '../../src/lib/paraglide/messages';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime';

let locale: 'fr' | 'en' = 'fr';
overwriteGetLocale(() => locale);
const NBSP = '\u00a0';
const at = (l: 'fr' | 'en', say: (n: number) => string) => {
	locale = l;
	return [0, 1, 3].map(say);
};

describe('plurals, as the compiled catalogue writes them at 0, 1 and 3', () => {
	it('count decisions, people present and objections', () => {
		expect(at('fr', (count) => m.meetings_decided_count({ count }))).toEqual([
			'0 décision',
			'1 décision',
			'3 décisions'
		]);
		expect(at('en', (count) => m.meetings_decided_count({ count }))).toEqual([
			'0 decisions',
			'1 decision',
			'3 decisions'
		]);
		expect(at('fr', (count) => m.meeting_present_count({ count }))).toEqual([
			'0 personne présente',
			'1 personne présente',
			'3 personnes présentes'
		]);
		expect(at('en', (count) => m.meeting_proposal_objections({ count }))).toEqual([
			'0 objections',
			'1 objection',
			'3 objections'
		]);
	});

	it('agree the verb with who gave their advice', () => {
		expect(at('fr', (answered) => m.advice_answered_count({ answered, asked: 3 }))).toEqual([
			'0 sur 3 a donné son avis',
			'1 sur 3 a donné son avis',
			'3 sur 3 ont donné leur avis'
		]);
	});

	it('agree both counts in the health sentence on objections', () => {
		locale = 'fr';
		expect(m.health_say_objections({ raised: 1, integrated: 0 })).toMatch(
			new RegExp(`^1 objection soulevée${NBSP}; 0 intégrée dans`)
		);
		expect(m.health_say_objections({ raised: 3, integrated: 1 })).toMatch(
			new RegExp(`^3 objections soulevées${NBSP}; 1 intégrée dans`)
		);
		expect(m.health_say_objections({ raised: 3, integrated: 3 })).toMatch(
			new RegExp(`^3 objections soulevées${NBSP}; 3 intégrées dans`)
		);
		locale = 'en';
		expect(m.health_say_coverage({ assigned: 1, visits: 1 })).toBe('1 of 1 visit has a carer.');
		expect(m.health_say_coverage({ assigned: 3, visits: 4 })).toBe('3 of 4 visits have a carer.');
	});

	it('say a same-day change of schedule as such, with elision', () => {
		locale = 'fr';
		const say = (who: string, count: number) =>
			m.rota_warn_late_change({ who, count, day: 'mer. 9 déc.', ...elision(who) });
		expect(say('Aïcha Benali', 0)).toBe(
			`Le planning d’Aïcha Benali change le jour même, le mer. 9 déc. (7 jours de prévenance).`
		);
		expect(say('Sophie Martin', 1)).toBe(
			`Le planning de Sophie Martin change 1 jour avant le mer. 9 déc. (7 jours de prévenance).`
		);
		expect(say('Émile Roux', 3)).toBe(
			`Le planning d’Émile Roux change 3 jours avant le mer. 9 déc. (7 jours de prévenance).`
		);
	});

	it('never put a full stop after an abbreviated date', () => {
		locale = 'fr';
		const day = formatDate('2026-12-09');
		expect(day).toBe('mer. 9 déc.');
		for (const text of [
			m.rota_moved({ client: 'S. M.', who: 'Aïcha', day }),
			m.notif_urgent_transmission({ client: 'S. M.', sector: 'Nord', day }),
			m.notif_urgent_transmission_nosector({ client: 'S. M.', day })
		])
			expect(text).not.toMatch(/\.\./);
	});
});

describe('elision before a name', () => {
	it('elides before a vowel, accented or not, and before y followed by a consonant', () => {
		for (const name of ['Aïcha', 'Émile', 'éric', 'Isabelle', 'Océane', 'Ugo', 'Yves', 'Ève'])
			expect([name, elidesBefore(name)]).toEqual([name, true]);
	});

	it('does not elide before a consonant, a y before a vowel, an h or nothing', () => {
		for (const name of ['Sophie', 'Yasmine', 'Hélène', 'Hugo', '', '  ', '1re équipe'])
			expect([name, elidesBefore(name)]).toEqual([name, false]);
	});

	it('reads the same in a whole message', () => {
		locale = 'fr';
		expect(m.board_note_label({ author: 'Aïcha', ...elision('Aïcha') })).toBe('Note d’Aïcha');
		expect(m.board_note_label({ author: 'Bruno', ...elision('Bruno') })).toBe('Note de Bruno');
		expect(m.health_coach_open({ team: 'Équipe Est', ...elision('Équipe Est') })).toBe(
			'Voir la santé d’Équipe Est'
		);
		locale = 'en';
		expect(m.board_note_label({ author: 'Aïcha', ...elision('Aïcha') })).toBe('Note by Aïcha');
	});
});
