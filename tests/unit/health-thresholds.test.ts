import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	colourOf,
	computeHealth,
	FIGURE_KEYS,
	headline,
	THRESHOLDS,
	type Colour,
	type FigureKey,
	type HealthInputs
} from '../../src/lib/domain/health';
import type { Visit } from '../../src/lib/domain/rota';
import { addDays } from '../../src/lib/domain/week';

// The thresholds never reward a worse team: property tests over generated values and teams.

const RANK: Record<Colour, number> = { green: 0, amber: 1, red: 2 };
/** How bad a colour is; "not enough data" is neutral and compared apart. */
const rank = (c: Colour | null) => (c === null ? -1 : RANK[c]);

const MONDAY = '2026-03-02';

describe('each threshold alone', () => {
	const keyed = FIGURE_KEYS.filter((k) => THRESHOLDS[k].kind !== 'none');

	it('gives a worse value a colour at least as bad', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...keyed),
				fc.double({ min: 0, max: 60, noNaN: true }),
				fc.double({ min: 0, max: 60, noNaN: true }),
				(key, a, b) => {
					const t = THRESHOLDS[key];
					let [better, worse] = [a, b];
					if (t.kind === 'higher') [better, worse] = [Math.max(a, b), Math.min(a, b)];
					else if (t.kind === 'lower') [better, worse] = [Math.min(a, b), Math.max(a, b)];
					else if (t.kind === 'band') {
						// Further from the band, on the same side.
						const mid = (t.green[0] + t.green[1]) / 2;
						if ((a - mid) * (b - mid) < 0) return;
						[better, worse] = Math.abs(a - mid) <= Math.abs(b - mid) ? [a, b] : [b, a];
					}
					expect(rank(colourOf(key, worse))).toBeGreaterThanOrEqual(rank(colourOf(key, better)));
				}
			),
			{ numRuns: 2_000 }
		);
	});

	it('has a green zone inside the amber one, so colours step green → amber → red', () => {
		for (const key of keyed) {
			const t = THRESHOLDS[key];
			if (t.kind === 'higher') expect(t.green, key).toBeGreaterThanOrEqual(t.amber);
			if (t.kind === 'lower') expect(t.green, key).toBeLessThanOrEqual(t.amber);
			if (t.kind === 'band') {
				expect(t.amber[0], key).toBeLessThanOrEqual(t.green[0]);
				expect(t.amber[1], key).toBeGreaterThanOrEqual(t.green[1]);
			}
		}
	});
});

/** A generated team's week: members with contracts, clients, visits (some open) and shifts. */
const teamWeek = fc
	.record({
		contracts: fc.array(fc.integer({ min: 0, max: 35 }), { minLength: 1, maxLength: 12 }),
		clients: fc.integer({ min: 1, max: 20 }),
		visits: fc.array(
			fc.record({
				day: fc.integer({ min: 0, max: 6 }),
				client: fc.nat(),
				carer: fc.option(fc.nat(), { nil: null, freq: 5 }),
				start: fc.integer({ min: 7 * 4, max: 19 * 4 }),
				minutes: fc.constantFrom(20, 30, 45, 60, 90)
			}),
			{ maxLength: 50 }
		),
		shifts: fc.array(
			fc.record({ day: fc.integer({ min: 0, max: 4 }), member: fc.nat(), minutes: fc.nat(240) }),
			{ maxLength: 12 }
		)
	})
	.map(({ contracts, clients, visits, shifts }): HealthInputs => {
		const members = contracts.map((hours, i) => ({
			id: `m${i}`,
			profession: (i % 3 === 2 ? 'care_aide' : 'nurse') as 'nurse' | 'care_aide',
			employment: 'self_employed' as const,
			contractMinutes: hours * 60
		}));
		return {
			week: '2026-W10',
			monday: MONDAY,
			asOf: addDays(MONDAY, 6),
			members,
			decisions: [],
			roles: [],
			assignments: [],
			clients: Array.from({ length: clients }, (_, i) => ({
				id: `c${i}`,
				sector: '',
				nurseOnly: false,
				twoCarers: false,
				refusedCarerIds: []
			})),
			absences: [],
			visits: visits.map((v, i): Visit => ({
				id: `v${i}`,
				clientId: `c${v.client % clients}`,
				date: addDays(MONDAY, v.day),
				start: v.start * 15,
				minutes: v.minutes,
				carerId: v.carer === null ? null : `m${v.carer % members.length}`,
				qualification: 'any',
				changedAt: null
			})),
			shifts: shifts.map((s, i) => ({
				id: `s${i}`,
				memberId: `m${s.member % members.length}`,
				kind: 'office' as const,
				date: addDays(MONDAY, s.day),
				start: 14 * 60,
				minutes: Math.max(1, s.minutes),
				changedAt: null
			})),
			meetings: [],
			pulse: null
		};
	});

const colour = (inputs: HealthInputs, key: FigureKey) =>
	colourOf(key, headline(computeHealth(inputs), key));

/** Not worse, allowing "not enough data" to stay neutral on either side. */
function notBetter(key: FigureKey, before: HealthInputs, after: HealthInputs) {
	const [a, b] = [colour(before, key), colour(after, key)];
	if (a === null || b === null) return;
	expect(rank(b), key).toBeGreaterThanOrEqual(rank(a));
}

describe('generated teams', () => {
	it('an open visit more (one taken off its carer) never improves coverage or unassigned visits', () => {
		fc.assert(
			fc.property(teamWeek, fc.nat(), (inputs, pick) => {
				const assigned = inputs.visits.filter((v) => v.carerId !== null);
				fc.pre(assigned.length > 0);
				const target = assigned[pick % assigned.length]!;
				const worse = {
					...inputs,
					visits: inputs.visits.map((v) => (v.id === target.id ? { ...v, carerId: null } : v))
				};
				notBetter('coverage', inputs, worse);
				notBetter('unassigned', inputs, worse);
			}),
			{ numRuns: 40 }
		);
	}, 120_000);

	it('more hours planned for the same contracts never improves the hours figure', () => {
		fc.assert(
			fc.property(teamWeek, fc.nat(), fc.integer({ min: 1, max: 600 }), (inputs, who, extra) => {
				const memberId = inputs.members[who % inputs.members.length]!.id;
				const worse = {
					...inputs,
					shifts: [
						...inputs.shifts,
						{
							id: 'extra',
							memberId,
							kind: 'office' as const,
							date: addDays(MONDAY, 5),
							start: 8 * 60,
							minutes: extra,
							changedAt: null
						}
					]
				};
				notBetter('hours', inputs, worse);
			}),
			{ numRuns: 40 }
		);
	}, 120_000);

	it('a visit given to a stranger to the client never improves continuity', () => {
		fc.assert(
			fc.property(teamWeek, fc.nat(), (inputs, pick) => {
				const assigned = inputs.visits.filter((v) => v.carerId !== null);
				fc.pre(assigned.length > 0);
				const target = assigned[pick % assigned.length]!;
				const known = new Set(
					inputs.visits
						.filter((v) => v.clientId === target.clientId && v.carerId !== null)
						.map((v) => v.carerId)
				);
				const stranger = inputs.members.find((m) => !known.has(m.id));
				fc.pre(stranger !== undefined);
				const worse = {
					...inputs,
					visits: inputs.visits.map((v) =>
						v.id === target.id ? { ...v, carerId: stranger!.id } : v
					)
				};
				notBetter('continuity', inputs, worse);
			}),
			{ numRuns: 40 }
		);
	}, 120_000);

	it('an empty rota is never red: what it cannot see reads "not enough data"', () => {
		fc.assert(
			fc.property(teamWeek, (inputs) => {
				const empty = { ...inputs, visits: [], shifts: [] };
				for (const key of [
					'coverage',
					'hours',
					'hoursSpread',
					'restBreaches',
					'continuity',
					'clientsPerFte',
					'clientTime'
				] as const)
					expect(colour(empty, key), key).toBeNull();
			}),
			{ numRuns: 20 }
		);
	}, 120_000);
});
