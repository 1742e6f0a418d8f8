import { addCard } from '$lib/collab/kaizen';
import type { StandardContent } from '$lib/domain/care-standard';
import { addDays } from '$lib/domain/week';
import type { Db } from '$lib/server/db';
import type { CollabServer } from '$lib/server/collab/server';
import type { AdviceMirror } from '$lib/server/governance/advice';
import * as decisions from '$lib/server/governance/decisions';
import * as kaizen from '$lib/server/kaizen/kaizen';
import * as standards from '$lib/server/kaizen/standards';

const NB = '\u00a0';

/** Three care standards as a home-care team writes them ("bien faire le geste"). */
const DEMO_STANDARDS: StandardContent[] = [
	{
		title: 'Prévention des escarres',
		appliesWhen: `Toute personne alitée ou au fauteuil une grande partie de la journée, ou dont l’échelle de Braden est inférieure ou égale à 18.`,
		steps: [
			'Évaluer le risque avec l’échelle de Braden à la première visite, puis chaque semaine',
			'Inspecter la peau des zones d’appui (sacrum, talons, ischions, coudes, occiput) à chaque passage',
			'Changer de position toutes les 2 à 3 heures (décubitus latéral à 30°), en montrant le geste à l’aidant',
			`Garder la peau propre et sèche${NB}; la protéger de l’humidité (changes, transpiration)`,
			'Mettre les talons dans le vide (coussin sous les mollets)',
			'Surveiller l’hydratation et l’alimentation, signaler une perte de poids',
			'Noter l’état de la peau dans les transmissions'
		],
		materials: [
			'Matelas ou surmatelas à air selon le niveau de risque',
			'Coussins de positionnement',
			'Crème barrière',
			'Grille de l’échelle de Braden'
		],
		safety: [
			'Ne jamais masser une rougeur ni frictionner une zone d’appui',
			`Rougeur qui ne blanchit pas à la pression${NB}: prévenir l’infirmière le jour même`,
			'Pas de bouée ni de gant rempli d’eau sous les talons'
		],
		whoToCall:
			'L’infirmière référente de la personne. Le médecin traitant si la peau est ouverte. L’ergothérapeute pour le matériel.'
	},
	{
		title: 'Injection d’insuline',
		appliesWhen: `Personne diabétique avec une prescription d’insuline${NB}: acte infirmier.`,
		steps: [
			`Relire la prescription${NB}: insuline, dose, horaire`,
			'Contrôler la glycémie capillaire avant l’injection et la noter',
			'Se laver les mains, vérifier le stylo (date d’ouverture, aspect de l’insuline)',
			'Purger le stylo de 2 unités',
			'Choisir le site en suivant la rotation (ventre, cuisses, bras), loin des zones indurées',
			'Piquer perpendiculairement, compter 10 secondes avant de retirer l’aiguille',
			'Jeter l’aiguille dans le collecteur, noter dose, site et glycémie'
		],
		materials: [
			'Lecteur de glycémie et bandelettes',
			'Stylo d’insuline prescrit et aiguilles',
			'Collecteur d’aiguilles',
			'Compresses'
		],
		safety: [
			`Glycémie sous 0,70${NB}g/L${NB}: pas d’insuline rapide, resucrer (15${NB}g de sucre) et recontrôler 15 minutes après`,
			'Ne jamais recapuchonner une aiguille',
			`Un doute sur la dose${NB}: on n’injecte pas, on appelle`
		],
		whoToCall:
			'Le médecin traitant ou le diabétologue pour toute adaptation de dose. Le 15 en cas de malaise ou de trouble de la conscience.'
	},
	{
		title: 'Transfert lit-fauteuil',
		appliesWhen:
			'Personne qui ne peut pas se lever seule du lit, ou dont le transfert a été repéré à risque à la première visite.',
		steps: [
			'Expliquer le geste et inviter la personne à participer',
			'Placer le fauteuil à 30–45° du lit, du côté le plus valide, freins serrés, repose-pieds relevés',
			'Mettre le lit à hauteur des hanches, asseoir la personne au bord du lit, pieds à plat au sol',
			'Vérifier chaussures fermées et absence de vertige (une minute assise)',
			'Se placer face à elle, genoux fléchis, dos droit, et la faire pivoter sur ses pieds',
			'L’asseoir au fond du fauteuil et remettre les repose-pieds',
			'Noter dans les transmissions comment s’est passé le transfert'
		],
		materials: [
			'Fauteuil avec freins',
			'Disque de transfert ou planche, si prescrit',
			'Ceinture de transfert',
			'Lève-personne pour qui ne porte pas son poids'
		],
		safety: [
			'À deux, ou au lève-personne, si la personne ne porte pas son poids',
			'Ne jamais tirer sous les aisselles ni par les bras',
			`Vertige ou malaise${NB}: on recouche et on prévient`
		],
		whoToCall:
			'L’ergothérapeute ou le kinésithérapeute pour adapter le matériel. L’infirmière coordinatrice après une chute.'
	}
];

/** Every member consents to a decision proposed between meetings: it is adopted. */
async function adoptByAll(
	db: Db,
	mirror: decisions.Mirror,
	teamId: string,
	decisionId: string,
	memberIds: string[],
	proposerId: string
) {
	const move = (userId: string, m: Parameters<typeof decisions.move>[2]['move']) =>
		decisions.move(db, mirror, { teamId, decisionId, userId, move: m });
	await move(proposerId, { type: 'open-round' });
	for (const id of memberIds)
		await move(id, { type: 'answer', version: 1, kind: 'consent', reason: '' });
}

/**
 * The demo's care standards and kaizen boards, through the same modules as real ones: the first
 * team adopted three standards by consent, runs three cards (one adopted, one under test due for
 * its check, one new problem) and shared the lesson of the adopted one; the second team has a new
 * problem on its board and can copy that lesson.
 */
export async function writeDemoKaizen(
	db: Db,
	services: { collab: CollabServer; decisionMirror: decisions.Mirror; adviceMirror: AdviceMirror },
	teams: { id: string; memberIds: string[] }[],
	today: string
): Promise<void> {
	const [first, second] = teams;
	if (first === undefined) return;
	const { collab, decisionMirror } = services;
	const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
	const proposer = first.memberIds[0]!;
	for (const content of DEMO_STANDARDS) {
		const out = await standards.proposeVersion(
			db,
			{ decision: decisionMirror, advice: services.adviceMirror },
			collab,
			{
				teamId: first.id,
				userId: proposer,
				standardId: null,
				content,
				via: 'consent',
				decisionTitle: `Standard de soin${NB}: ${content.title}`,
				driver: 'Que chacune fasse le geste de la même façon, en sécurité, chez chaque personne.',
				text: content.steps.map((s, i) => `${i + 1}. ${s}`).join('\n'),
				reviewDate: addDays(today, 365),
				meetingId: null,
				deadline
			}
		);
		if (!out.ok) throw new Error(`demo standard refused (${out.reason})`);
		await adoptByAll(db, decisionMirror, first.id, out.decisionId, first.memberIds, proposer);
	}

	const adopted = '5eed0000-0000-4000-8000-000000000001';
	await collab.change(`team/${first.id}/kaizen`, (doc) => {
		addCard(doc, adopted, {
			title: 'Chutes au lever le matin',
			what: `Trois personnes sont tombées en se levant du lit ce mois-ci, toutes avant 9${NB}h.`,
			where: 'Au domicile, secteur Nord',
			howOften: '3 fois en un mois',
			causes: `Lever précipité avant notre passage${NB}; fauteuil mal placé${NB}; chaussons ouverts.`,
			countermeasures:
				'Suivre pas à pas le standard du transfert lit-fauteuil. Préparer fauteuil et chaussures fermées la veille au soir.',
			who: 'Le binôme du matin',
			byWhen: addDays(today, -28),
			test: 'Fauteuil et chaussures préparés la veille, transfert selon le standard',
			checkOn: addDays(today, -7),
			result: 'Aucune chute au lever en quatre semaines.',
			state: 'testing',
			createdAt: `${addDays(today, -42)}T08:00:00.000Z`
		});
		addCard(doc, '5eed0000-0000-4000-8000-000000000002', {
			title: 'Tournée du lundi en retard',
			what: 'Le lundi, la tournée du matin finit 40 minutes après l’heure prévue.',
			where: 'Tournée du matin',
			howOften: 'Chaque lundi depuis un mois',
			figure: 'coverage',
			causes: 'Les retours d’hospitalisation du week-end ajoutent des visites non prévues.',
			countermeasures: 'Appeler le vendredi les personnes qui sortent le week-end.',
			who: 'Le rôle planning',
			byWhen: addDays(today, 7),
			test: 'Un appel le vendredi après-midi, et une visite ajoutée au planning si besoin',
			checkOn: today,
			state: 'testing',
			createdAt: `${addDays(today, -20)}T08:00:00.000Z`
		});
		addCard(doc, '5eed0000-0000-4000-8000-000000000003', {
			title: 'Transmissions du week-end lues tard',
			what: 'Le lundi matin, les transmissions du week-end ne sont lues qu’en fin de tournée.',
			where: 'Cahier de liaison',
			howOften: 'Deux lundis sur trois',
			state: 'open',
			createdAt: `${addDays(today, -2)}T08:00:00.000Z`
		});
	});
	const adoption = await kaizen.proposeAdoption(db, decisionMirror, collab, {
		teamId: first.id,
		userId: proposer,
		cardId: adopted,
		title: 'Préparer le lever la veille',
		driver: 'Trois chutes au lever en un mois, aucune pendant les quatre semaines de test.',
		text: 'Le soir, le fauteuil et des chaussures fermées sont préparés près du lit, et le matin le transfert suit le standard lit-fauteuil.',
		reviewDate: addDays(today, 180),
		meetingId: null,
		deadline
	});
	if (!adoption.ok) throw new Error(`demo adoption refused (${adoption.reason})`);
	await adoptByAll(db, decisionMirror, first.id, adoption.decision.id, first.memberIds, proposer);
	const lesson = await kaizen.publishLesson(db, collab, {
		teamId: first.id,
		userId: proposer,
		cardId: adopted,
		title: 'Le lever du matin se prépare la veille',
		text: `Fauteuil placé et chaussures fermées préparés la veille au soir, puis transfert pas à pas selon notre standard lit-fauteuil${NB}: plus aucune chute au lever en quatre semaines.`
	});
	if (!lesson.ok) throw new Error(`demo lesson refused (${lesson.reason})`);

	if (second === undefined) return;
	await collab.change(`team/${second.id}/kaizen`, (doc) =>
		addCard(doc, '5eed0000-0000-4000-8000-000000000004', {
			title: 'Matériel anti-escarres livré en retard',
			what: 'Un matelas à air a mis douze jours à arriver après la prescription.',
			where: 'Pharmacie du secteur',
			howOften: 'Deux fois ce trimestre',
			state: 'open',
			createdAt: `${addDays(today, -3)}T08:00:00.000Z`
		})
	);
}
