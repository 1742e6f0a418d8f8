import { z } from 'zod';
import { ROLE_LIMITS, roleDraftSchema, type RoleDraft } from './roles';
import type { TeamChange } from './team-change';

/**
 * The roles page's forms: a new role, a change to one, or retiring it, each with why. Proposed as
 * a decision of the team (team-change.ts); the field that is wrong is named, in a code.
 */
const driver = z.string().trim().min(1).max(2000);

type RoleFormField = 'name' | 'purpose' | 'accountabilities' | 'termMonths' | 'driver';

export type ParsedRoleForm =
	{ ok: true; change: TeamChange; driver: string } | { ok: false; field: RoleFormField | 'kind' };

export function parseRoleForm(
	form: FormData,
	roleName: (id: string) => string | null
): ParsedRoleForm {
	const value = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' ? v : '';
	};
	const kind = value('kind');
	const why = driver.safeParse(value('driver'));
	if (kind === 'retire') {
		const name = roleName(value('roleId'));
		if (name === null) return { ok: false, field: 'kind' };
		if (!why.success) return { ok: false, field: 'driver' };
		return {
			ok: true,
			change: { kind: 'role-retire', roleId: value('roleId'), name },
			driver: why.data
		};
	}
	if (kind !== 'create' && kind !== 'edit') return { ok: false, field: 'kind' };
	const draft = {
		name: value('name'),
		purpose: value('purpose'),
		accountabilities: value('accountabilities')
			.split(/\r?\n/)
			.map((line) => line.trim())
			.filter((line) => line !== '')
			.slice(0, ROLE_LIMITS.accountabilities + 1),
		termMonths: Number(value('termMonths')),
		essential: value('essential') === 'on'
	};
	const parsed = roleDraftSchema.safeParse(draft);
	if (!parsed.success)
		return { ok: false, field: (parsed.error.issues[0]?.path[0] as RoleFormField) ?? 'name' };
	if (!why.success) return { ok: false, field: 'driver' };
	const role: RoleDraft = parsed.data;
	if (kind === 'create')
		return { ok: true, change: { kind: 'role-create', role }, driver: why.data };
	if (roleName(value('roleId')) === null) return { ok: false, field: 'kind' };
	return {
		ok: true,
		change: { kind: 'role-edit', roleId: value('roleId'), role },
		driver: why.data
	};
}
