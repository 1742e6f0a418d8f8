import { ROLE_TEMPLATES, type Role, type RoleTemplateKey } from '$lib/domain/roles';
import { m } from '$lib/paraglide/messages';

type Words = Pick<Role, 'name' | 'purpose' | 'accountabilities'>;

const WORDS: Record<
	RoleTemplateKey,
	{ name: () => string; purpose: () => string; acc: () => string }
> = {
	'team-player': {
		name: m['role_tpl_team-player_name'],
		purpose: m['role_tpl_team-player_purpose'],
		acc: m['role_tpl_team-player_acc']
	},
	steward: {
		name: m.role_tpl_steward_name,
		purpose: m.role_tpl_steward_purpose,
		acc: m.role_tpl_steward_acc
	},
	informer: {
		name: m.role_tpl_informer_name,
		purpose: m.role_tpl_informer_purpose,
		acc: m.role_tpl_informer_acc
	},
	developer: {
		name: m.role_tpl_developer_name,
		purpose: m.role_tpl_developer_purpose,
		acc: m.role_tpl_developer_acc
	},
	planner: {
		name: m.role_tpl_planner_name,
		purpose: m.role_tpl_planner_purpose,
		acc: m.role_tpl_planner_acc
	},
	mentor: {
		name: m.role_tpl_mentor_name,
		purpose: m.role_tpl_mentor_purpose,
		acc: m.role_tpl_mentor_acc
	},
	facilitator: {
		name: m.role_tpl_facilitator_name,
		purpose: m.role_tpl_facilitator_purpose,
		acc: m.role_tpl_facilitator_acc
	},
	'note-taker': {
		name: m['role_tpl_note-taker_name'],
		purpose: m['role_tpl_note-taker_purpose'],
		acc: m['role_tpl_note-taker_acc']
	}
};

const same = (a: readonly string[], b: readonly string[]) =>
	a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * A role's words in the reader's language: a template role the team never edited speaks the
 * reader's language; once edited by decision, it speaks the team's own words, as written.
 */
export function roleWords(role: Words & { templateKey: RoleTemplateKey | null }): Words {
	const template = ROLE_TEMPLATES.find((t) => t.key === role.templateKey);
	if (
		template === undefined ||
		template.name !== role.name ||
		template.purpose !== role.purpose ||
		!same(template.accountabilities, role.accountabilities)
	)
		return { name: role.name, purpose: role.purpose, accountabilities: role.accountabilities };
	const words = WORDS[template.key];
	return {
		name: words.name(),
		purpose: words.purpose(),
		accountabilities: words.acc().split('\n')
	};
}

/**
 * A role's name alone, where a page shows only that (elections, meetings, minutes): a template's
 * name the team kept speaks the reader's language; a name the team chose stays as written.
 */
export function roleName(role: { name: string; templateKey?: string | null }): string {
	const template = ROLE_TEMPLATES.find((t) => t.key === role.templateKey);
	return template === undefined || template.name !== role.name
		? role.name
		: WORDS[template.key].name();
}
