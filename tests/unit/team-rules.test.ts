import { describe, expect, it } from 'vitest';
import { isPastSplitPoint, TEAM_SPLIT_POINT } from '../../src/lib/domain/team-size';
import { audienceOf } from '../../src/lib/server/auth/route-access';

describe('the Buurtzorg split point', () => {
	it('is 12 members, and only passing it warns', () => {
		expect(TEAM_SPLIT_POINT).toBe(12);
		expect(isPastSplitPoint(12)).toBe(false);
		expect(isPastSplitPoint(13)).toBe(true);
	});
});

describe('audienceOf', () => {
	it('puts every team route behind membership', () => {
		expect(audienceOf('/teams/[teamId]')).toBe('members');
		expect(audienceOf('/teams/[teamId]/rota/[week]')).toBe('members');
	});

	it('leaves routes outside a team alone', () => {
		expect(audienceOf('/teams/new')).toBeNull();
		expect(audienceOf('/teams/[teamId]x')).toBeNull();
		expect(audienceOf('/')).toBeNull();
		expect(audienceOf(null)).toBeNull();
	});
});
