import type { Qualification, VisitSlot, Weekday } from '$lib/domain/caseload';
import { absencesDocument, absencesMap } from '$lib/collab/absences';
import { addClient, type NewClient } from '$lib/collab/caseload';
import { markAbsencesHere } from '$lib/server/board/move-absences';
import type { CollabServer } from '$lib/server/collab/server';
import { addDays, mondayOfDate } from '$lib/domain/week';

/** A small deterministic generator, so the demo is the same on every machine. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const WOMEN = [
	'Jeanne',
	'Simone',
	'Odette',
	'Yvonne',
	'Germaine',
	'Paulette',
	'Monique',
	'Colette',
	'Josette',
	'Huguette',
	'Fatima',
	'Ginette',
	'Suzanne',
	'Denise',
	'Kheira',
	'Marguerite'
];
const MEN = [
	'Marcel',
	'André',
	'Lucien',
	'Robert',
	'Henri',
	'Roger',
	'Gilbert',
	'Fernand',
	'Marius',
	'Raymond',
	'Ahmed',
	'Antoine',
	'Maurice',
	'Jean-Pierre'
];
const LAST = [
	'Roux',
	'Garnier',
	'Faure',
	'Blanc',
	'Guerin',
	'Chevalier',
	'Perrin',
	'Morin',
	'Mercier',
	'Bonnet',
	'Dupuis',
	'Lambert',
	'Fontaine',
	'Rousseau',
	'Vincent',
	'Muller',
	'Lefèvre',
	'Giraud',
	'Bouvier',
	'Benaissa',
	'Charbonnier',
	'Brun',
	'Gauthier',
	'Masson',
	'Rey',
	'Barbier',
	'Cohen',
	'Mathieu'
];

const DEMO_SECTORS: Record<string, { sector: string; streets: string[] }[]> = {
	'Équipe Croix-Rousse': [
		{
			sector: 'Plateau',
			streets: [
				'rue Dumenge',
				'rue d’Austerlitz',
				'boulevard de la Croix-Rousse',
				'rue Belfort',
				'rue Jacquard'
			]
		},
		{
			sector: 'Pentes',
			streets: [
				'montée de la Grande-Côte',
				'rue des Tables-Claudiennes',
				'rue Burdeau',
				'rue René-Leynaud'
			]
		},
		{ sector: 'Serin', streets: ['quai Joseph-Gillet', 'rue Pierre-Dupont', 'rue de Cuire'] }
	],
	'Équipe Villeurbanne Nord': [
		{
			sector: 'Charpennes',
			streets: ['cours Émile-Zola', 'rue Francis-de-Pressensé', 'rue Bonnevay']
		},
		{ sector: 'Tonkin', streets: ['rue du Tonkin', 'avenue Roger-Salengro', 'rue Pierre-Baratin'] },
		{
			sector: 'La Doua',
			streets: ['rue de la Doua', 'boulevard du 11-Novembre-1918', 'rue Alfred-de-Musset']
		}
	]
};

const NEEDS = [
	'Toilette complète, aide à l’habillage',
	'Pansement d’ulcère de jambe, surveillance cutanée',
	'Préparation et prise des médicaments',
	'Injection d’insuline, glycémie capillaire',
	'Aide au lever et au coucher, prévention des chutes',
	'Bas de contention, surveillance des œdèmes',
	'Toilette au lavabo, stimulation à la marche'
];

const DAYS: Weekday[] = [1, 2, 3, 4, 5, 6, 7];

function pattern(next: () => number): VisitSlot[] {
	const roll = next();
	const nurseOnly = next() < 0.15;
	const qualification: Qualification = nurseOnly ? 'nurse' : next() < 0.5 ? 'care_aide' : 'any';
	// Mornings run from 7:00 to 11:00, as a round does: not everyone at 9 o'clock.
	const morning = 7 * 60 + 15 * Math.floor(next() * 16);
	if (roll < 0.35)
		return DAYS.map((weekday) => ({ weekday, start: morning, minutes: 30, qualification }));
	if (roll < 0.6) {
		const evening = 18 * 60 + 15 * Math.floor(next() * 6);
		return DAYS.flatMap((weekday) => [
			{ weekday, start: morning, minutes: 30, qualification },
			{ weekday, start: evening, minutes: 20, qualification }
		]);
	}
	const days: Weekday[] = roll < 0.85 ? [1, 3, 5] : [2, 5];
	return days.map((weekday) => ({ weekday, start: morning, minutes: 45, qualification }));
}

const GPS = ['Dr Martin', 'Dr Nguyen', 'Dr Berthier', 'Dr Haddad'];
const PHARMACIES = [
	'Pharmacie de la Croix-Rousse',
	'Pharmacie du Plateau',
	'Pharmacie des Charpennes',
	'Pharmacie du Tonkin'
];
const LEVELS = ['none', 'low', 'medium', 'high'] as const;
const RISK_ITEMS = [
	'access',
	'falls',
	'medication',
	'cognition',
	'isolation',
	'familyCarer'
] as const;

function phone(next: () => number, mobile: boolean): string {
	const digits = Array.from({ length: 4 }, () =>
		String(Math.floor(next() * 100)).padStart(2, '0')
	).join(' ');
	return `${mobile ? '06' : '04'} ${digits}`;
}

/** A first-visit check: complete for most, a few half done, none for the newest and for two others. */
function firstVisit(
	i: number,
	nurseOnly: boolean,
	twoCarers: boolean,
	members: string[],
	next: () => number
): Record<string, unknown> | undefined {
	if (i === 2 || i === 11) return undefined;
	const level = () => LEVELS[Math.min(3, Math.floor(next() * next() * 4))]!;
	const check: Record<string, unknown> = {
		date: `2026-0${1 + (i % 8)}-${String(3 + (i % 25)).padStart(2, '0')}`,
		introducedBy: members[i % members.length] ?? null,
		newCarerId: members[(i + 1) % members.length] ?? null,
		nurseOnly,
		twoCarers
	};
	const items = i === 7 || i === 16 ? RISK_ITEMS.slice(0, 3) : RISK_ITEMS;
	for (const item of items) check[item] = { level: level(), note: '' };
	if (nurseOnly)
		check.medication = { level: 'high', note: 'Piluliers à préparer, traitement anticoagulant' };
	if (twoCarers) check.falls = { level: 'high', note: 'Transferts lit-fauteuil au lève-personne' };
	check.access = { level: 'low', note: i % 3 === 0 ? 'Boîte à clés, code sur la fiche' : '' };
	return check;
}

function omaha(i: number, next: () => number) {
	if (i % 4 !== 1) return undefined;
	const codes = ['27', '28', '42', '36', '25'];
	const score = () => (1 + Math.floor(next() * 3)) as 1 | 2 | 3;
	return codes.slice(0, 1 + (i % 3)).map((code) => {
		const intake = { date: '2026-06-15', knowledge: score(), behaviour: score(), status: score() };
		const review = {
			date: '2026-10-15',
			knowledge: Math.min(5, intake.knowledge + 1) as 1 | 2 | 3 | 4 | 5,
			behaviour: intake.behaviour,
			status: (next() < 0.3 ? Math.max(1, intake.status - 1) : Math.min(5, intake.status + 1)) as
				1 | 2 | 3 | 4 | 5
		};
		return { code, addedAt: '2026-06-15', ratings: [intake, review] };
	});
}

/**
 * How to get in, for most clients: made from the client's index (never from the random sequence,
 * so adding it changed no other demo value). Members only: never in feeds or team exports.
 */
function access(i: number, last: string) {
	if (i % 4 === 3) return undefined;
	const code = String((i * 7919 + 1234) % 10000).padStart(4, '0');
	return {
		keyBox: i % 2 === 0 ? `Boîte à clés à gauche de la porte, code ${code}` : '',
		doorCode: `Digicode ${String.fromCharCode(65 + (i % 6))}${code}`,
		floor: `${1 + (i % 6)}e étage, interphone ${last.toUpperCase()}`,
		dog: i % 5 === 0 ? 'Chien (Filou), gentil : fermer la porte du salon' : '',
		other: ''
	};
}

/** About 25 clients for a demo team, with addresses in its sectors and realistic visit patterns. */
export function demoClients(teamName: string, memberIds: string[], seed: number): NewClient[] {
	const next = random(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
	const sectors = DEMO_SECTORS[teamName] ?? [
		{ sector: 'Centre', streets: ['rue de la République'] }
	];
	return Array.from({ length: 25 }, (_, i) => {
		const area = sectors[i % sectors.length]!;
		const status = i === 23 ? 'paused' : i === 24 ? 'discharged' : 'active';
		const last = pick(LAST);
		const visitPattern = pattern(next);
		const nurseOnly = visitPattern[0]?.qualification === 'nurse';
		const twoCarers = i === 5;
		return {
			name: next() < 0.6 ? `Mme ${pick(WOMEN)} ${last}` : `M. ${pick(MEN)} ${last}`,
			address: `${1 + Math.floor(next() * 80)} ${pick(area.streets)}`,
			sector: area.sector,
			status,
			primaryCarerId: memberIds.length > 0 ? memberIds[i % memberIds.length]! : null,
			needs: pick(NEEDS),
			visitPattern,
			carePlan: 'Objectifs : maintien à domicile en sécurité.\nInterventions : ',
			contacts: [
				{
					kind: 'family' as const,
					name: `${pick(['Nathalie', 'Karim', 'Sylvie', 'Pascal', 'Leïla'])} ${last} (${pick(['fille', 'fils', 'nièce'])})`,
					phone: phone(next, true),
					note: ''
				},
				{ kind: 'gp' as const, name: pick(GPS), phone: phone(next, false), note: '' },
				{
					kind: 'pharmacy' as const,
					name: pick(PHARMACIES),
					phone: phone(next, false),
					note: 'Livre le mardi'
				}
			],
			refusedCarerIds: i === 9 && memberIds.length > 3 ? [memberIds[3]!] : [],
			firstVisit: firstVisit(i, nurseOnly, twoCarers, memberIds, next),
			omaha: omaha(i, next),
			access: access(i, last)
		};
	});
}

/** A few absences around today, so the team page and the rota show them. */
function demoAbsences(memberIds: string[], today: string) {
	const day = (n: number) => addDays(today, n);
	const monday = (n: number) => addDays(mondayOfDate(today), n);
	const who = (i: number) => memberIds[i % Math.max(1, memberIds.length)]!;
	return [
		{ memberId: who(2), kind: 'leave', from: monday(7), to: monday(11), note: 'Vacances' },
		{ memberId: who(4), kind: 'sickness', from: day(-1), to: day(2), note: '' },
		{
			memberId: who(6),
			kind: 'training',
			from: monday(9),
			to: monday(9),
			note: 'Plaies et cicatrisation'
		},
		{ memberId: who(1), kind: 'leave', from: day(-30), to: day(-24), note: '' }
	];
}

/** Writes the demo caseload of each team into its live document, through the collab server. */
export async function writeDemoCaseloads(
	collab: CollabServer,
	teams: { id: string; name: string; memberIds: string[] }[],
	today = new Date().toISOString().slice(0, 10)
): Promise<void> {
	for (const [t, team] of teams.entries()) {
		const clients = demoClients(team.name, team.memberIds, 2026 + t);
		await collab.change(`team/${team.id}/caseload`, (doc) => {
			clients.forEach((client, i) =>
				addClient(doc, `demo-${t}-${i + 1}`, client, new Date('2026-09-01T08:00:00Z'))
			);
		});
		await collab.change(absencesDocument(team.id), (doc) => {
			demoAbsences(team.memberIds, today).forEach((absence, i) =>
				absencesMap(doc).set(`demo-${t}-absence-${i + 1}`, absence)
			);
			markAbsencesHere(doc);
		});
	}
}
