import { COLOURS, PULSE_MIN_ANSWERS, type Colour } from '$lib/domain/pulse';
import { wallClockToInstant } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { answer, closeWeek, currentWeek } from '$lib/server/health/pulse';
import { addWeeks, mondayOf } from '$lib/domain/week';

/** A small deterministic generator, so the demo is the same on every machine. */
function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/**
 * The optional words of the demo pulse, per demo team (in the order of DEMO_TEAMS). Exported so the
 * privacy test can check that no coach ever sees one.
 */
export const DEMO_PULSE_WORDS: readonly (readonly string[])[] = [
	[
		'Réunion du jeudi enfin efficace',
		'Besoin d’un vrai temps de pause le midi',
		'Fière de notre organisation des week-ends',
		'Les transmissions du soir manquent de temps',
		'On se serre les coudes pendant les congés',
		'Merci pour l’accueil de la nouvelle collègue',
		'Pas assez de temps pour les premières visites'
	],
	[
		'Trop de tournées à compléter au dernier moment',
		'On ne tranche plus rien en réunion',
		'Personne ne veut reprendre la planification',
		'Difficile de tenir la cadence du matin',
		'Bonne ambiance malgré la fatigue générale'
	]
];
/**
 * Words given in a week with fewer than five answers: shown to no one, not even the team. One per
 * demo team with such a week (only the second has one).
 */
export const DEMO_PULSE_UNSHOWN_WORDS: readonly string[] = [
	'Je me sens seule sur les tournées du soir'
];
/** Every word the demo pulse holds. */
export const DEMO_PULSE_WORD_LIST: readonly string[] = [
	...DEMO_PULSE_WORDS.flat(),
	...DEMO_PULSE_UNSHOWN_WORDS
];

/** Answers per week, oldest first (8 weeks): team A steady, team B falling below the threshold. */
const ANSWERS_PER_WEEK: readonly (readonly number[])[] = [
	[7, 6, 8, 7, 6, 8, 7, 6],
	[9, 8, 8, 7, 6, 5, 4, 3]
];

/**
 * The past weeks the demo gives the team at `teamIndex` (in the order of DEMO_TEAMS), oldest first,
 * with how many members answer each: for the seed, and for tests that look for the small weeks.
 */
export function demoPulseWeeks(
	teamIndex: number,
	memberCount: number,
	now = new Date()
): { week: string; answers: number }[] {
	const plan = ANSWERS_PER_WEEK[teamIndex % ANSWERS_PER_WEEK.length]!;
	const thisWeek = currentWeek(now);
	return plan.map((planned, i) => ({
		week: addWeeks(thisWeek, i - plan.length),
		answers: Math.min(planned, memberCount)
	}));
}

function colour(next: () => number, red: number, amber: number): Colour {
	const roll = next();
	return roll < red ? 'red' : roll < red + amber ? 'amber' : COLOURS[0];
}

/**
 * Eight past weeks of pulse answers for the demo teams, written through the pulse module (each
 * as if answered on that week's Monday) and then closed, as a real week would be when read.
 * The first team is mostly green; the second slides: fewer answers and more red each week, its
 * two last weeks under the five answers needed to show anything.
 */
export async function writeDemoPulse(
	db: Db,
	teams: { id: string; memberIds: string[] }[],
	now = new Date()
): Promise<void> {
	for (const [t, team] of teams.entries()) {
		const plan = demoPulseWeeks(t, team.memberIds.length, now);
		const words = DEMO_PULSE_WORDS[t % DEMO_PULSE_WORDS.length]!;
		const next = random(4242 + t);
		let nextWord = 0;
		for (const [i, { week, answers: count }] of plan.entries()) {
			const monday = mondayOf(week)!;
			const at = wallClockToInstant(monday, 12 * 60);
			// Sliding team: red grows from 10 % to 45 % over the eight weeks.
			const red = t === 0 ? 0.08 : 0.1 + (0.35 * i) / (plan.length - 1);
			const amber = t === 0 ? 0.22 : 0.3;
			const start = Math.floor(next() * team.memberIds.length);
			for (let k = 0; k < count; k++) {
				const userId = team.memberIds[(start + k) % team.memberIds.length]!;
				// Every fourth answer or so has a word; each demo word is used once. A week too small
				// to be shown gets the unshown word, so tests can check it stays hidden.
				let word: string | null = null;
				if (count < PULSE_MIN_ANSWERS) {
					if (k === 0 && i === plan.length - 1) word = DEMO_PULSE_UNSHOWN_WORDS[0]!;
				} else if ((i + k) % 4 === 1 && nextWord < words.length) word = words[nextWord++]!;
				await answer(
					db,
					{
						teamId: team.id,
						userId,
						week,
						energy: colour(next, red, amber),
						workload: colour(next, red + 0.1, amber),
						teamwork: colour(next, red, amber),
						decisions: colour(next, t === 0 ? red : red + 0.15, amber),
						word
					},
					at
				);
			}
			await closeWeek(db, team.id, week, now);
		}
	}
}
