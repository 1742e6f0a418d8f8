import type { Area, Move } from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import { and, eq } from 'drizzle-orm';
import { coaching } from '$lib/server/db/schema';
import { coachAccessProposal } from '$lib/i18n/team-change';
import * as decisions from '$lib/server/governance/decisions';
import * as teamChanges from '$lib/server/governance/team-changes';
import { DAY_MS } from '$lib/domain/week';
import type { RuleChange } from '$lib/domain/team-rules';

type Step = [who: number, move: DistributiveOmit<Move, 'by'>];
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface DemoDecision {
	title: string;
	driver: string;
	text: string;
	area: Area;
	/** Days from today: when it was proposed (negative), and when it is to be reviewed. */
	proposedDaysAgo: number;
	reviewInDays: number;
	proposer: number;
	/** Moves after the proposal, by member index; everyone else consents at the end unless `open`. */
	steps: Step[];
	open?: boolean;
	/** The team rule it sets once adopted (Nos règles). */
	rule?: RuleChange;
}

/** Member index -1 is the proposer. */
const PROPOSER = -1;
const consentAll: Step[] = [[PROPOSER, { type: 'open-round' }]];

const DEMO: DemoDecision[] = [
	{
		title: 'Tournée du samedi à deux',
		driver: 'Les samedis matin sont trop chargés pour une seule personne.',
		text: 'Deux personnes sur la tournée du samedi matin.',
		area: 'rota',
		proposedDaysAgo: 70,
		reviewInDays: 40,
		proposer: 0,
		steps: [
			[PROPOSER, { type: 'open-round' }],
			[
				2,
				{
					type: 'answer',
					version: 1,
					kind: 'objection',
					reason:
						'Personne de formé aux transferts le samedi : M. Faure a besoin de deux personnes formées.'
				}
			],
			[
				PROPOSER,
				{ type: 'amend', text: 'Deux personnes le samedi matin, dont une formée aux transferts.' }
			]
		]
	},
	{
		title: 'Réunion d’équipe le mardi à 13\u00a0h\u00a030',
		driver: 'Le jeudi, la moitié de l’équipe est en formation.',
		text: 'La réunion hebdomadaire passe au mardi, 13\u00a0h\u00a030 – 15\u00a0h.',
		area: 'team',
		proposedDaysAgo: 63,
		reviewInDays: 120,
		proposer: 1,
		steps: consentAll,
		rule: { key: 'meeting', value: { weekday: 2, start: 13 * 60 + 30 } }
	},
	{
		title: 'Clés des domiciles dans une boîte à code',
		driver: 'Des clés se perdent entre deux passages.',
		text: 'Boîte à code pour les personnes qui l’acceptent ; le code est sur la fiche, jamais dans les transmissions.',
		area: 'caseload',
		proposedDaysAgo: 56,
		reviewInDays: 90,
		proposer: 2,
		steps: consentAll
	},
	{
		title: 'Pas plus de trois intervenants par personne et par semaine',
		driver: 'Mme Roux se plaint de voir trop de visages différents.',
		text: 'Le planning vise trois intervenants au plus par personne suivie et par semaine.',
		area: 'rota',
		proposedDaysAgo: 49,
		reviewInDays: -3,
		proposer: 3,
		steps: consentAll,
		rule: { key: 'maxCarersPerClient', value: 3 }
	},
	{
		title: 'Binôme pour chaque nouvelle personne suivie',
		driver: 'Les premières visites sont les plus délicates.',
		text: 'L’entretien de mise en relation se fait à deux : la référente et la personne qui prendra le relais.',
		area: 'caseload',
		proposedDaysAgo: 42,
		reviewInDays: 150,
		proposer: 0,
		steps: consentAll
	},
	{
		title: 'Budget formation gestes et postures',
		driver: 'Deux arrêts pour mal de dos cet automne.',
		text: 'Une journée de formation gestes et postures pour toute l’équipe au premier trimestre.',
		area: 'team',
		proposedDaysAgo: 35,
		reviewInDays: 100,
		proposer: 4,
		steps: consentAll
	},
	{
		title: 'Échanges de passages jusqu’à la veille 18\u00a0h',
		driver: 'Des échanges de dernière minute ont laissé des passages sans personne.',
		text: 'Un passage peut être échangé entre collègues jusqu’à la veille, 18\u00a0h.',
		area: 'rota',
		proposedDaysAgo: 28,
		reviewInDays: 60,
		proposer: 1,
		steps: consentAll,
		rule: { key: 'swapNotice', value: { kind: 'day-before', at: 18 * 60 } }
	},
	{
		title: 'Mandat de planificatrice de six mois',
		driver: 'Le rôle de planificatrice use quand il dure un an.',
		text: 'Le rôle de planificateur·rice a un mandat de six mois.',
		area: 'roles',
		proposedDaysAgo: 21,
		reviewInDays: 160,
		proposer: 2,
		steps: consentAll
	},
	{
		title: 'Transmissions écrites avant de quitter le domicile',
		driver: 'Des informations se perdent entre le passage du matin et celui du soir.',
		text: 'Chaque passage se termine par une transmission, même courte, écrite sur place.',
		area: 'caseload',
		proposedDaysAgo: 14,
		reviewInDays: 80,
		proposer: 5,
		steps: consentAll
	},
	{
		title: 'Achat d’un second tensiomètre',
		driver: 'Un seul tensiomètre pour deux tournées.',
		text: 'Acheter un second tensiomètre pour la tournée des Pentes.',
		area: 'team',
		proposedDaysAgo: 10,
		reviewInDays: 200,
		proposer: 3,
		steps: consentAll
	},
	{
		title: 'Essai du véhicule électrique partagé',
		driver: 'Se garer sur le Plateau prend trop de temps.',
		text: 'Essayer pendant deux mois le véhicule électrique partagé de la mairie.',
		area: 'other',
		proposedDaysAgo: 7,
		reviewInDays: 60,
		proposer: 6,
		steps: [[PROPOSER, { type: 'withdraw' }]]
	},
	{
		title: 'Accueillir une stagiaire infirmière en janvier',
		driver: 'L’IFSI cherche des lieux de stage en soins à domicile.',
		text: 'Accueillir une étudiante infirmière de troisième année en janvier, avec Camille comme tutrice.',
		area: 'team',
		proposedDaysAgo: 2,
		reviewInDays: 90,
		proposer: 1,
		steps: [
			[
				3,
				{
					type: 'ask',
					questionId: 'q1',
					text: 'Qui la prend en charge quand Camille est en congé ?'
				}
			]
		],
		open: true
	}
];

/**
 * A dozen decisions for a demo team, through the same module as real ones: one whose objection
 * was integrated by an amendment, one with a review date passed, one withdrawn, one still open.
 */
export async function writeDemoDecisions(
	db: Db,
	mirror: decisions.Mirror,
	teamId: string,
	memberIds: string[],
	now = new Date()
): Promise<void> {
	const who = (i: number) => memberIds[i % memberIds.length]!;
	for (const demo of DEMO) {
		const at = new Date(now.getTime() - demo.proposedDaysAgo * DAY_MS);
		const review = new Date(now.getTime() + demo.reviewInDays * DAY_MS).toISOString().slice(0, 10);
		const d = await decisions.propose(db, mirror, {
			teamId,
			proposerId: who(demo.proposer),
			title: demo.title,
			driver: demo.driver,
			text: demo.text,
			area: demo.area,
			reviewDate: review,
			mode: 'meeting',
			change: demo.rule === undefined ? null : { kind: 'rule', rule: demo.rule },
			now: at
		});
		let version = 1;
		for (const [i, [member, move]] of demo.steps.entries()) {
			if (move.type === 'amend') version++;
			check(
				await decisions.move(db, mirror, {
					teamId,
					decisionId: d.id,
					userId: who(member === PROPOSER ? demo.proposer : member),
					move,
					now: new Date(at.getTime() + (i + 1) * 60_000)
				}),
				demo.title
			);
		}
		if (demo.open === true || demo.steps.some(([, m]) => m.type === 'withdraw')) continue;
		for (const [i, member] of memberIds.entries()) {
			check(
				await decisions.move(db, mirror, {
					teamId,
					decisionId: d.id,
					userId: member,
					move: {
						type: 'answer',
						version,
						kind: i === 1 ? 'concern' : 'consent',
						reason: i === 1 ? 'À revoir après un mois d’essai' : ''
					},
					now: new Date(at.getTime() + (20 + i) * 60_000)
				}),
				demo.title
			);
		}
	}
}

/** The demo is made of legal moves only: a refusal here is a bug in the demo. */
function check(result: decisions.MoveResult, title: string): void {
	if (!result.ok) throw new Error(`demo decision "${title}": move refused (${result.reason})`);
}

/**
 * The demo coach's access, as a team gives it: the coach accepted an invitation long ago and the
 * whole team consented to the decision, which the server carried out.
 */
export async function writeDemoCoachAccess(
	db: Db,
	mirror: decisions.Mirror,
	input: { teamId: string; memberIds: string[]; coach: { id: string; name: string } },
	now = new Date()
): Promise<void> {
	const at = new Date(now.getTime() - 84 * DAY_MS);
	await db
		.update(coaching)
		.set({ status: 'pending' })
		.where(and(eq(coaching.teamId, input.teamId), eq(coaching.userId, input.coach.id)));
	const proposed = await teamChanges.proposeCoachAccess(db, mirror, {
		teamId: input.teamId,
		coachId: input.coach.id,
		invitedBy: input.memberIds[0] ?? null,
		...coachAccessProposal(input.coach.name),
		now: at
	});
	if (proposed === null) throw new Error('demo coach access: not proposed');
	const move = (userId: string, m: Parameters<typeof decisions.move>[2]['move'], i: number) =>
		decisions.move(db, mirror, {
			teamId: input.teamId,
			decisionId: proposed.id,
			userId,
			move: m,
			now: new Date(at.getTime() + (i + 1) * 60_000)
		});
	check(await move(proposed.proposerId, { type: 'open-round' }, 0), proposed.title);
	for (const [i, id] of input.memberIds.entries())
		check(
			await move(id, { type: 'answer', version: 1, kind: 'consent', reason: '' }, i + 1),
			proposed.title
		);
}
