import type { Qualification, VisitSlot, Weekday } from '$lib/domain/caseload';
import { addClient, type NewClient } from '$lib/collab/caseload';
import type { CollabServer } from './collab/server';

/** A small deterministic generator, so the demo is the same on every machine. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

const WOMEN = ['Jeanne', 'Simone', 'Odette', 'Yvonne', 'Germaine', 'Paulette', 'Monique', 'Colette', 'Josette', 'Huguette', 'Fatima', 'Ginette', 'Suzanne', 'Denise', 'Kheira', 'Marguerite'];
const MEN = ['Marcel', 'André', 'Lucien', 'Robert', 'Henri', 'Roger', 'Gilbert', 'Fernand', 'Marius', 'Raymond', 'Ahmed', 'Antoine', 'Maurice', 'Jean-Pierre'];
const LAST = ['Roux', 'Garnier', 'Faure', 'Blanc', 'Guerin', 'Chevalier', 'Perrin', 'Morin', 'Mercier', 'Bonnet', 'Dupuis', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent', 'Muller', 'Lefèvre', 'Giraud', 'Bouvier', 'Benaissa', 'Charbonnier', 'Brun', 'Gauthier', 'Masson', 'Rey', 'Barbier', 'Cohen', 'Mathieu'];

export const DEMO_SECTORS: Record<string, { sector: string; streets: string[] }[]> = {
	'Équipe Croix-Rousse': [
		{ sector: 'Plateau', streets: ['rue Dumenge', 'rue d’Austerlitz', 'boulevard de la Croix-Rousse', 'rue Belfort', 'rue Jacquard'] },
		{ sector: 'Pentes', streets: ['montée de la Grande-Côte', 'rue des Tables-Claudiennes', 'rue Burdeau', 'rue René-Leynaud'] },
		{ sector: 'Serin', streets: ['quai Joseph-Gillet', 'rue Pierre-Dupont', 'rue de Cuire'] }
	],
	'Équipe Villeurbanne Nord': [
		{ sector: 'Charpennes', streets: ['cours Émile-Zola', 'rue Francis-de-Pressensé', 'rue Bonnevay'] },
		{ sector: 'Tonkin', streets: ['rue du Tonkin', 'avenue Roger-Salengro', 'rue Pierre-Baratin'] },
		{ sector: 'La Doua', streets: ['rue de la Doua', 'boulevard du 11-Novembre-1918', 'rue Alfred-de-Musset'] }
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
	const morning = 7 * 60 + 30 + 15 * Math.floor(next() * 10);
	if (roll < 0.35) return DAYS.map((weekday) => ({ weekday, start: morning, minutes: 30, qualification }));
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

/** About 25 clients for a demo team, with addresses in its sectors and realistic visit patterns. */
export function demoClients(teamName: string, memberIds: string[], seed: number): NewClient[] {
	const next = random(seed);
	const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
	const sectors = DEMO_SECTORS[teamName] ?? [{ sector: 'Centre', streets: ['rue de la République'] }];
	return Array.from({ length: 25 }, (_, i) => {
		const area = sectors[i % sectors.length]!;
		const status = i === 23 ? 'paused' : i === 24 ? 'discharged' : 'active';
		return {
			name: next() < 0.6 ? `Mme ${pick(WOMEN)} ${pick(LAST)}` : `M. ${pick(MEN)} ${pick(LAST)}`,
			address: `${1 + Math.floor(next() * 80)} ${pick(area.streets)}`,
			sector: area.sector,
			status,
			primaryCarerId: memberIds.length > 0 ? memberIds[i % memberIds.length]! : null,
			needs: pick(NEEDS),
			visitPattern: pattern(next),
			carePlan: 'Objectifs : maintien à domicile en sécurité.\nInterventions : '
		};
	});
}

/** Writes the demo caseload of each team into its live document, through the collab server. */
export async function writeDemoCaseloads(
	collab: CollabServer,
	teams: { id: string; name: string; memberIds: string[] }[]
): Promise<void> {
	for (const [t, team] of teams.entries()) {
		const clients = demoClients(team.name, team.memberIds, 2026 + t);
		await collab.change(`team/${team.id}/caseload`, (doc) => {
			clients.forEach((client, i) => addClient(doc, `demo-${t}-${i + 1}`, client, new Date('2026-09-01T08:00:00Z')));
		});
	}
}
