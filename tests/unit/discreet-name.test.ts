import { describe, expect, it } from 'vitest';
import { notificationSchema } from '../../src/lib/domain/notifications';
import { discreetName, noticeInitials } from '../../src/lib/domain/discreet-name';

describe('a client named outside the app', () => {
	it('keeps a title and the initials only', () => {
		expect(discreetName('Mme Jeanne Roux')).toBe('Mme J. R.');
		expect(discreetName('Jean-Pierre Martin')).toBe('J-P. M.');
	});

	it('fits what a notification accepts, whatever the name', () => {
		const cases = [
			'Mme Jeanne Roux',
			"M. Jean d'Alembert de la Fontaine du Lac",
			'Marie-Thérèse Anne-Sophie Dupont-Aignan Lefèvre',
			'  ',
			'123 456',
			null
		];
		for (const name of cases) {
			const initials = noticeInitials(name);
			expect(initials.length).toBeLessThanOrEqual(12);
			expect(
				notificationSchema.safeParse({
					kind: 'urgent_transmission',
					params: { clientInitials: initials, date: '2026-12-04' }
				}).success,
				`${name} → ${initials}`
			).toBe(true);
		}
		expect(noticeInitials(null)).toBe('X.');
		expect(noticeInitials('Mme Jeanne Roux')).toBe('Mme J. R.');
	});
});
