import { z } from 'zod';
import { isCleanLine } from './text';

/**
 * A team's roles and their holders (Buurtzorg's self-managed teams share out the work of running
 * the team as roles with a purpose, accountabilities and a term), and the health signals about them.
 */
export interface Role {
	id: string;
	name: string;
	purpose: string;
	accountabilities: string[];
	/** Length of a term, in months. */
	termMonths: number;
	essential: boolean;
}

export interface Assignment {
	roleId: string;
	memberId: string;
	/** 'YYYY-MM-DD' */
	from: string;
	/** Last day of the term, 'YYYY-MM-DD'. */
	until: string;
	/** Set when the holder stepped down or was replaced before the end. */
	endedOn: string | null;
}

/** What a decision creates or edits: the role's own words and term. */
export type RoleDraft = Omit<Role, 'id'>;

export const ROLE_LIMITS = { name: 80, purpose: 500, accountability: 200, accountabilities: 10 };

const line = (max: number) => z.string().trim().min(1).max(max).refine(isCleanLine);

/** A role's words and term, within bounds (a form's errors come from the same schema). */
export const roleDraftSchema = z.object({
	name: line(ROLE_LIMITS.name),
	purpose: z.string().trim().min(1).max(ROLE_LIMITS.purpose),
	accountabilities: z.array(line(ROLE_LIMITS.accountability)).max(ROLE_LIMITS.accountabilities),
	termMonths: z.number().int().min(1).max(36),
	essential: z.boolean()
});

export function isValidRoleDraft(draft: unknown): draft is RoleDraft {
	return roleDraftSchema.safeParse(draft).success;
}

export const ROLE_TEMPLATE_KEYS = [
	'team-player',
	'steward',
	'informer',
	'developer',
	'planner',
	'mentor',
	'facilitator',
	'note-taker'
] as const;
export type RoleTemplateKey = (typeof ROLE_TEMPLATE_KEYS)[number];

/**
 * Buurtzorg's role set, offered as templates to a new team. The words here are the French ones
 * stored with the role; screens show a template role that was never edited in the reader's
 * language (src/lib/i18n/roles.ts), and the team's own words once it edits it by decision.
 */
export const ROLE_TEMPLATES: (RoleDraft & { key: RoleTemplateKey })[] = [
	{
		key: 'team-player',
		name: 'Joueur·se d’équipe',
		purpose: 'Veiller au bon fonctionnement de l’équipe et à la qualité des relations.',
		accountabilities: ['Repérer les tensions tôt', 'Proposer des moments d’équipe'],
		termMonths: 12,
		essential: false
	},
	{
		key: 'steward',
		name: 'Intendant·e (bureau et budget)',
		purpose: 'Tenir le bureau, le matériel et le budget de l’équipe.',
		accountabilities: ['Commandes de matériel', 'Suivi du budget', 'Entretien du local'],
		termMonths: 12,
		essential: true
	},
	{
		key: 'informer',
		name: 'Informateur·rice',
		purpose: 'Rendre compte des chiffres de l’équipe, à l’équipe et à l’organisation.',
		accountabilities: ['Présenter les chiffres en réunion', 'Répondre aux demandes de chiffres'],
		termMonths: 12,
		essential: true
	},
	{
		key: 'developer',
		name: 'Développeur·se',
		purpose: 'Tisser les liens avec les autres équipes et les partenaires du quartier.',
		accountabilities: [
			'Contacts avec les médecins et pharmacies',
			'Échanges avec les autres équipes'
		],
		termMonths: 12,
		essential: false
	},
	{
		key: 'planner',
		name: 'Planificateur·rice',
		purpose: 'Veiller à ce que le planning de la semaine suivante soit prêt et juste.',
		accountabilities: ['Préparer le planning pour la réunion', 'Suivre les absences'],
		termMonths: 6,
		essential: true
	},
	{
		key: 'mentor',
		name: 'Mentor·e des nouveaux',
		purpose: 'Accueillir et accompagner les nouvelles et nouveaux collègues.',
		accountabilities: ['Premières tournées en binôme', 'Point à un mois'],
		termMonths: 12,
		essential: false
	},
	{
		key: 'facilitator',
		name: 'Facilitateur·rice de réunion',
		purpose:
			'Faire avancer la réunion sans rien décider\u00a0: «\u00a0quelle est ta proposition\u00a0?\u00a0», «\u00a0à quoi sert-elle\u00a0?\u00a0».',
		accountabilities: ['Construire l’ordre du jour', 'Tenir le temps'],
		termMonths: 6,
		essential: true
	},
	{
		key: 'note-taker',
		name: 'Secrétaire de réunion',
		purpose: 'Garder la trace de ce qui est décidé.',
		accountabilities: ['Relire le compte rendu', 'Publier les décisions'],
		termMonths: 6,
		essential: false
	}
];

/** More roles than this for one person is a health signal (the work is not shared). */
const MAX_ROLES_PER_MEMBER = 3;

export type RoleSignal =
	| { kind: 'term-ended'; roleId: string; memberId: string; until: string }
	| { kind: 'essential-empty'; roleId: string }
	| { kind: 'too-many-roles'; memberId: string; count: number };

/** Current holders: assignments running on `today` ('YYYY-MM-DD'). */
export function currentHolders(assignments: readonly Assignment[], today: string): Assignment[] {
	return assignments.filter((a) => a.endedOn === null && a.from <= today && today <= a.until);
}

/** What needs the team's attention about its roles on `today`. */
export function roleSignals(
	roles: readonly Role[],
	assignments: readonly Assignment[],
	today: string
): RoleSignal[] {
	const signals: RoleSignal[] = [];
	const holders = currentHolders(assignments, today);
	for (const role of roles) {
		const held = holders.filter((a) => a.roleId === role.id);
		// A term that ended with nobody after it: the role waits for an election.
		const lapsed = assignments
			.filter((a) => a.roleId === role.id && a.endedOn === null && a.until < today)
			.sort((a, b) => b.until.localeCompare(a.until))[0];
		if (held.length === 0 && lapsed !== undefined)
			signals.push({
				kind: 'term-ended',
				roleId: role.id,
				memberId: lapsed.memberId,
				until: lapsed.until
			});
		if (held.length === 0 && role.essential)
			signals.push({ kind: 'essential-empty', roleId: role.id });
	}
	const counts = new Map<string, number>();
	for (const a of holders) counts.set(a.memberId, (counts.get(a.memberId) ?? 0) + 1);
	for (const [memberId, count] of counts)
		if (count > MAX_ROLES_PER_MEMBER) signals.push({ kind: 'too-many-roles', memberId, count });
	return signals;
}
