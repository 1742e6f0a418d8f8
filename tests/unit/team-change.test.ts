import { describe, expect, it } from 'vitest';
import { checkChange, type TeamShape } from '../../src/lib/domain/team-change';
import { parseTeamChange } from '../../src/lib/domain/team-change-form';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);
const team = (members: number, more: Partial<TeamShape> = {}): TeamShape => ({
	memberIds: ids(members),
	coaches: [
		{ id: 'coach-pending', status: 'pending' },
		{ id: 'coach-active', status: 'active' }
	],
	sectors: ['Nord', 'Sud'],
	roles: [{ id: 'r1', name: 'Planificateur·rice' }],
	...more
});
const split = (more: { name?: string; memberIds?: string[]; sectors?: string[] } = {}) => ({
	kind: 'split' as const,
	name: 'Équipe Nord',
	memberIds: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
	sectors: ['Nord'],
	...more
});

describe('checkChange', () => {
	it('removes a member of the team, never the last one', () => {
		expect(checkChange({ kind: 'remove-member', memberId: 'm2' }, team(3))).toBeNull();
		expect(checkChange({ kind: 'remove-member', memberId: 'x' }, team(3))).toBe('not-a-member');
		expect(checkChange({ kind: 'remove-member', memberId: 'm1' }, team(1))).toBe('last-member');
	});

	it('admits an invitee who is not a member yet, and nobody twice', () => {
		const admit = (userId: string) => ({
			kind: 'admit-member' as const,
			userId,
			name: 'Nouvelle',
			profession: 'nurse' as const,
			contractMinutes: 2100
		});
		expect(checkChange(admit('newcomer'), team(3))).toBeNull();
		expect(checkChange(admit('m2'), team(3))).toBe('already-member');
	});

	it('gives access to a pending coach only, and takes it back from a coach of the team', () => {
		expect(checkChange({ kind: 'grant-coach', coachId: 'coach-pending' }, team(3))).toBeNull();
		for (const coachId of ['coach-active', 'm1', 'x'])
			expect(checkChange({ kind: 'grant-coach', coachId }, team(3))).toBe('not-a-pending-coach');
		expect(checkChange({ kind: 'revoke-coach', coachId: 'coach-active' }, team(3))).toBeNull();
		expect(checkChange({ kind: 'revoke-coach', coachId: 'coach-pending' }, team(3))).toBeNull();
		expect(checkChange({ kind: 'revoke-coach', coachId: 'm1' }, team(3))).toBe('not-a-coach');
	});

	it('sets a swap notice of whole minutes between none and two days', () => {
		for (const minutes of [0, 120, 48 * 60])
			expect(checkChange({ kind: 'swap-notice', minutes }, team(3))).toBeNull();
		for (const minutes of [-1, 48 * 60 + 1, 1.5, Number.NaN])
			expect(checkChange({ kind: 'swap-notice', minutes }, team(3))).toBe('notice-out-of-range');
	});

	it('creates, edits and retires a role with its own words, a term and a unique name', () => {
		const draft = {
			name: 'Référent·e plaies',
			purpose: 'Tenir à jour les protocoles de pansement.',
			accountabilities: ['Former les nouveaux'],
			termMonths: 12,
			essential: false
		};
		expect(checkChange({ kind: 'role-create', role: draft }, team(3))).toBeNull();
		expect(
			checkChange(
				{ kind: 'role-create', role: { ...draft, name: ' planificateur·RICE ' } },
				team(3)
			)
		).toBe('role-name-taken');
		for (const bad of [
			{ ...draft, name: '' },
			{ ...draft, purpose: ' ' },
			{ ...draft, termMonths: 0 },
			{ ...draft, termMonths: 37 },
			{ ...draft, accountabilities: ['a\u0007'] },
			{ ...draft, accountabilities: Array.from({ length: 11 }, (_, i) => `a${i}`) }
		])
			expect(checkChange({ kind: 'role-create', role: bad }, team(3))).toBe('role-invalid');
		// Editing a role may keep its own name, not take another's.
		expect(
			checkChange(
				{ kind: 'role-edit', roleId: 'r1', role: { ...draft, name: 'Planificateur·rice' } },
				team(3)
			)
		).toBeNull();
		expect(checkChange({ kind: 'role-edit', roleId: 'x', role: draft }, team(3))).toBe(
			'no-such-role'
		);
		expect(checkChange({ kind: 'role-retire', roleId: 'r1', name: 'P' }, team(3))).toBeNull();
		expect(checkChange({ kind: 'role-retire', roleId: 'x', name: 'P' }, team(3))).toBe(
			'no-such-role'
		);
	});

	it('splits a team past 12 members into two, with sectors of its caseload', () => {
		expect(checkChange(split(), team(13))).toBeNull();
		expect(checkChange(split({ sectors: [] }), team(13))).toBeNull();
		expect(checkChange(split({ sectors: ['Nord', 'Sud'] }), team(13))).toBeNull();
		expect(checkChange(split({ memberIds: ids(12) }), team(13))).toBeNull();
	});

	it('refuses a split at 12 members or fewer, whatever else it asks', () => {
		expect(checkChange(split(), team(12))).toBe('not-past-split-point');
		expect(checkChange(split({ name: '' }), team(2))).toBe('not-past-split-point');
	});

	it('refuses a split with no name, nobody going, nobody staying, a stranger or an unknown sector', () => {
		expect(checkChange(split({ name: '' }), team(13))).toBe('name-required');
		expect(checkChange(split({ name: ' \t ' }), team(13))).toBe('name-required');
		expect(checkChange(split({ memberIds: [] }), team(13))).toBe('nobody-moves');
		expect(checkChange(split({ memberIds: ['m1', 'outsider'] }), team(13))).toBe('not-a-member');
		expect(checkChange(split({ memberIds: ids(13) }), team(13))).toBe('nobody-stays');
		expect(checkChange(split({ memberIds: [...ids(13), 'm1'] }), team(13))).toBe('nobody-stays');
		expect(checkChange(split({ sectors: ['Nord', 'Ouest'] }), team(13))).toBe('unknown-sector');
		expect(checkChange(split({ sectors: ['Nord'] }), team(13, { sectors: [] }))).toBe(
			'unknown-sector'
		);
	});
});

const form = (entries: [string, string][]) => {
	const data = new FormData();
	for (const [k, v] of entries) data.append(k, v);
	return data;
};

describe('parseTeamChange', () => {
	it('reads a split: the name, who goes and which sectors, each once', () => {
		expect(
			parseTeamChange(
				form([
					['kind', 'split'],
					['name', '  Équipe Nord '],
					['memberIds', 'm1'],
					['memberIds', 'm2'],
					['memberIds', 'm1'],
					['sectors', 'Nord'],
					['driver', 'Nous sommes 13.']
				])
			)
		).toEqual({
			ok: true,
			change: { kind: 'split', name: 'Équipe Nord', memberIds: ['m1', 'm2'], sectors: ['Nord'] },
			driver: 'Nous sommes 13.'
		});
	});

	it('leaves an empty split to checkChange, which says what is missing', () => {
		expect(
			parseTeamChange(
				form([
					['kind', 'split'],
					['driver', 'Nous sommes 13.']
				])
			)
		).toEqual({
			ok: true,
			change: { kind: 'split', name: '', memberIds: [], sectors: [] },
			driver: 'Nous sommes 13.'
		});
	});

	it('refuses a name too long or with control characters, and a split without a reason', () => {
		const base: [string, string][] = [
			['kind', 'split'],
			['memberIds', 'm1'],
			['driver', 'Parce que']
		];
		expect(parseTeamChange(form([...base, ['name', 'x'.repeat(81)]]))).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(parseTeamChange(form([...base, ['name', 'Nord\u0007']]))).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(
			parseTeamChange(
				form([
					['kind', 'split'],
					['name', 'Nord']
				])
			)
		).toEqual({ ok: false, reason: 'driver-required' });
	});
});
