import { describe, expect, it } from 'vitest';
import {
	HARD_KINDS,
	type RotaWarning,
	type RotaWarningKind
} from '../../src/lib/domain/rota-checks';
import { describeWarning, warningKindLabel } from '../../src/lib/i18n/rota-warnings';

const names = {
	member: (id: string | null) => ({ aicha: 'Aïcha Benali' })[id ?? ''] ?? '?',
	client: (id: string | null) => ({ roux: 'Mme Jeanne Roux' })[id ?? ''] ?? '?',
	contract: () => 35 * 60
};
const w = (kind: RotaWarningKind, figure: number | null = null): RotaWarning => ({
	kind,
	hard: HARD_KINDS.has(kind),
	memberId: 'aicha',
	clientId: 'roux',
	itemIds: ['v1'],
	date: '2026-12-02',
	figure
});

describe('rota warnings in the team’s words', () => {
	it('say who, what and when, with French times and days', () => {
		expect(describeWarning(w('rest', 9 * 60 + 30), names).text).toBe(
			'Aïcha Benali n’a que 9\u00a0h\u00a030 de repos avant le mer. 2 déc. (11\u00a0h au moins).'
		);
		expect(describeWarning(w('unassigned'), names).text).toBe(
			'Mme Jeanne Roux, mer. 2 déc.\u00a0: passage sans intervenant·e.'
		);
		expect(describeWarning(w('over-contract', 38 * 60), names).text).toBe(
			'Aïcha Benali a 38\u00a0h cette semaine, plus que son contrat (35\u00a0h).'
		);
		expect(describeWarning(w('overlap', 25), names).text).toContain('il manque 25 min');
	});

	it('say for every kind what would fix it', () => {
		const kinds: RotaWarningKind[] = [
			'overlap',
			'rest',
			'days-in-row',
			'fortnight-rest',
			'late-change',
			'over-contract',
			'under-contract',
			'qualification',
			'absence',
			'refused',
			'two-carers',
			'unassigned',
			'continuity'
		];
		for (const kind of kinds) {
			const said = describeWarning(w(kind, 3), names);
			expect(said.text.length, kind).toBeGreaterThan(10);
			expect(said.fix.length, kind).toBeGreaterThan(10);
			expect(warningKindLabel(kind).length, kind).toBeGreaterThan(3);
		}
	});
});
