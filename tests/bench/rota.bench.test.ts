// Figures for the rota's checks and suggestion, printed, never asserted against a time (machines
// are noisy): `npm run bench`. Aims (issue 5): all checks on a 12-member week of 400 visits under
// 5 ms; the suggestion for 80 unassigned visits under 500 ms.
import { describe, expect, it } from 'vitest';
import type { RotaMember, Visit } from '../../src/lib/domain/rota';
import { checkRota } from '../../src/lib/domain/rota-checks';
import { suggestAssignments, type PatternClient } from '../../src/lib/domain/rota-plan';
import { addDays } from '../../src/lib/domain/week';

const MONDAY = '2026-11-30';

function random(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/** A realistic busy week: 12 members, 60 clients over 3 sectors, 400 visits, `open` of them unassigned. */
function week(open: number) {
	const next = random(49);
	const members: RotaMember[] = Array.from({ length: 12 }, (_, i) => ({
		id: `m${i}`,
		name: `m${i}`,
		profession: i % 3 === 0 ? 'care_aide' : 'nurse',
		employment: i === 11 ? 'self_employed' : 'salaried',
		contractMinutes: (i % 4 === 0 ? 28 : 35) * 60
	}));
	const sectors = ['Plateau', 'Pentes', 'Serin'];
	const clients: PatternClient[] = Array.from({ length: 60 }, (_, i) => ({
		id: `c${i}`,
		name: `c${i}`,
		sector: sectors[i % 3]!,
		primaryCarerId: `m${i % 12}`,
		nurseOnly: i % 7 === 0,
		twoCarers: false,
		refusedCarerIds: i % 13 === 0 ? [`m${(i + 1) % 12}`] : [],
		active: true,
		visitPattern: []
	}));
	const visits: Visit[] = Array.from({ length: 400 }, (_, i) => ({
		id: `v${i}`,
		clientId: `c${i % 60}`,
		date: addDays(MONDAY, Math.floor(next() * 7)),
		start: (next() < 0.7 ? 7 * 60 : 17 * 60) + 15 * Math.floor(next() * 16),
		minutes: [20, 30, 45][Math.floor(next() * 3)]!,
		carerId: i < open ? null : `m${Math.floor(next() * 12)}`,
		qualification: next() < 0.2 ? 'nurse' : 'any',
		changedAt: null
	}));
	return { monday: MONDAY, members, clients, absences: [], visits, shifts: [] };
}

function time(runs: number, fn: () => unknown): { median: number; p95: number } {
	for (let i = 0; i < Math.min(20, runs); i++) fn(); // warm up the JIT
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const started = performance.now();
		fn();
		samples.push(performance.now() - started);
	}
	samples.sort((a, b) => a - b);
	return { median: samples[Math.floor(runs / 2)]!, p95: samples[Math.floor(runs * 0.95)]! };
}

describe('rota figures', () => {
	it('checks a 12-member week of 400 visits, and suggests carers for 80 open visits', () => {
		const full = week(0);
		let warnings = 0;
		const checks = time(200, () => (warnings = checkRota(full).length));
		const withOpen = week(80);
		let placed = 0;
		const suggest = time(30, () => (placed = suggestAssignments(withOpen).length));
		console.info(
			[
				'',
				`rota checks, 12 members × 400 visits: median ${checks.median.toFixed(2)} ms, p95 ${checks.p95.toFixed(2)} ms (aim < 5 ms; ${warnings} warnings)`,
				`suggestion, 80 unassigned of 400: median ${suggest.median.toFixed(1)} ms, p95 ${suggest.p95.toFixed(1)} ms (aim < 500 ms; ${placed} placed)`,
				''
			].join('\n')
		);
		expect(warnings).toBeGreaterThan(0);
		expect(placed).toBeGreaterThan(0);
	});
});
