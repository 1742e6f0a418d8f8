import type { Db } from '$lib/server/db';
import * as advice from '$lib/server/governance/advice';
import { DAY_MS } from '$lib/domain/week';

const NB = '\u00a0';

/**
 * One advice process for a demo team, through the same module as real ones: announced by one
 * member, who asked three colleagues affected and one with expertise, heard two of them, and
 * recorded the decision and how the advice shaped it. The texts name nobody.
 */
export async function writeDemoAdvice(
	db: Db,
	mirror: advice.AdviceMirror,
	teamId: string,
	memberIds: string[],
	now = new Date()
): Promise<void> {
	const who = (i: number) => memberIds[i % memberIds.length]!;
	const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);
	const decider = who(2);
	const announced = await advice.announce(db, mirror, {
		teamId,
		deciderId: decider,
		title: 'Changer de fournisseur de gants',
		situation:
			'Les gants en nitrile actuels se déchirent souvent pendant les toilettes, et la commande arrive en retard un mois sur deux.',
		intent:
			'Commander les gants chez le grossiste médical du quartier, en tailles S à XL, livrés chaque mois.',
		area: 'team',
		reviewDate: new Date(now.getTime() + 150 * DAY_MS).toISOString().slice(0, 10),
		affected: [who(3), who(4), who(5)],
		experts: [who(1)],
		now: daysAgo(24)
	});
	if (!announced.ok) throw new Error(`demo advice process refused (${announced.refusal.kind})`);
	const adviceId = announced.advice.id;
	const steps: [member: string, move: Parameters<typeof advice.move>[2]['move'], at: Date][] = [
		[
			who(3),
			{
				type: 'advise',
				text: `Prendre des gants à manchette longue${NB}: pendant les toilettes, l’eau coule dans la manche. Et garder une boîte de taille XS pour celles qui en ont besoin.`
			},
			daysAgo(23)
		],
		[
			who(1),
			{
				type: 'advise',
				text: `Vérifier la norme EN${NB}455 sur le bon de commande, et demander des échantillons${NB}: certains nitriles irritent les mains à la longue.`
			},
			daysAgo(21)
		],
		[
			decider,
			{
				type: 'decide',
				text: `Gants en nitrile à manchette longue, norme EN${NB}455, chez le grossiste du quartier, tailles XS à XL, livrés chaque mois${NB}; un mois d’essai sur échantillons avant la première grosse commande.`,
				howShaped: `La manchette longue et la taille XS viennent de l’avis d’une collègue qui fait les toilettes${NB}; la norme et l’essai sur échantillons, de l’avis d’une infirmière. Le fournisseur reste celui annoncé.`
			},
			daysAgo(18)
		]
	];
	for (const [userId, move, at] of steps) {
		const result = await advice.move(db, mirror, { teamId, adviceId, userId, move, now: at });
		// The demo is made of legal moves only: a refusal here is a bug in the demo.
		if (!result.ok) throw new Error(`demo advice process: move refused (${result.refusal.kind})`);
	}
}
