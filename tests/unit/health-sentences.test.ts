import { describe, expect, it } from 'vitest';
import type { HealthFigures } from '../../src/lib/domain/health';
import { figureSentence } from '../../src/lib/i18n/health';
import { overwriteGetLocale } from '../../src/lib/paraglide/runtime';

overwriteGetLocale(() => 'fr');

const withHours = (hours: HealthFigures['hours']) => ({ hours }) as HealthFigures;

describe('the sentence under the rota hours', () => {
	it('says what is missing: no contracts, or nothing in the rota yet', () => {
		const noContract = withHours({
			workedMinutes: 600,
			contractMinutes: 0,
			ratio: null,
			spread: null
		});
		const emptyRota = withHours({
			workedMinutes: 0,
			contractMinutes: 2_100,
			ratio: null,
			spread: null
		});
		expect(figureSentence('hours', noContract)).toBe('Aucun contrat n’est renseigné.');
		expect(figureSentence('hours', emptyRota)).toBe('Rien n’est encore au planning cette semaine.');
	});

	it('says that the rota leaves out travel and calls, so a low share reads as no warning', () => {
		const low = withHours({ workedMinutes: 756, contractMinutes: 2_100, ratio: 0.36, spread: 0.1 });
		expect(figureSentence('hours', low)).toMatch(
			/^Le planning compte 12\s?h\s?36 pour 35\s?h au contrat\. Trajets, transmissions et appels n’y sont pas/
		);
	});
});
