import { describe, expect, it } from 'vitest';
import { ROLE_TEMPLATES } from '../../src/lib/domain/roles';
import { roleName, roleWords } from '../../src/lib/i18n/roles';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime';

let locale: 'fr' | 'en' = 'fr';
overwriteGetLocale(() => locale);
const setLocale = (l: 'fr' | 'en') => (locale = l);

describe('role templates in both languages', () => {
	it('say in French exactly what a new team stores, and in English in English', () => {
		for (const t of ROLE_TEMPLATES) {
			const stored = { ...t, templateKey: t.key };
			setLocale('fr');
			expect(roleWords(stored)).toEqual({
				name: t.name,
				purpose: t.purpose,
				accountabilities: t.accountabilities
			});
			setLocale('en');
			const english = roleWords(stored);
			expect(english.name).not.toBe(t.name);
			expect(english.accountabilities).toHaveLength(t.accountabilities.length);
		}
		setLocale('en');
		expect(roleWords({ ...ROLE_TEMPLATES[6]!, templateKey: 'facilitator' }).name).toBe(
			'Meeting facilitator'
		);
	});

	it('keep the team’s own words once it edited a template role', () => {
		setLocale('en');
		const edited = { ...ROLE_TEMPLATES[4]!, templateKey: 'planner' as const, purpose: 'À nous.' };
		expect(roleWords(edited)).toEqual({
			name: edited.name,
			purpose: 'À nous.',
			accountabilities: edited.accountabilities
		});
	});

	it('give a role’s name alone in the reader’s language, unless the team renamed it', () => {
		const facilitator = ROLE_TEMPLATES.find((t) => t.key === 'facilitator')!;
		setLocale('en');
		expect(roleName({ name: facilitator.name, templateKey: 'facilitator' })).toBe(
			'Meeting facilitator'
		);
		expect(roleName({ name: 'Maître du temps', templateKey: 'facilitator' })).toBe(
			'Maître du temps'
		);
		// Older minutes carry no template key: the name as it was written.
		expect(roleName({ name: facilitator.name })).toBe(facilitator.name);
		setLocale('fr');
		expect(roleName({ name: facilitator.name, templateKey: 'facilitator' })).toBe(facilitator.name);
	});
});
