// What a run measures, from the environment (every figure's duration is configurable, so a quick
// look and the full run are the same code):
//   BENCH_ONLY=S1,S2,S3,S4,S5,S6 (or one S1 shape: S1a, S1b, S1c, S1d, S1c-aw; S1d-aw is opt-in)
//   BENCH_SERVERS=kring,hocuspocus,reference (add kring-memory: Kring's engine on its in-memory
//   store, to see what the Postgres commit costs; S6 is Kring's app alone)
//   BENCH_PROFILE=1: a CPU profile of each server process in test-results/bench/profiles/
//   BENCH_ROUNDS=3  BENCH_SECONDS=10 (each S1 run)  BENCH_S2_STEP_SECONDS=3
//   BENCH_S2_RATES=200,400,…  BENCH_LEAVE_SECONDS=12 (Kring unloads 10 s after the last client)
//   BENCH_S4_UPDATES=100000  BENCH_S4_TAIL=1000  BENCH_STORM_CLIENTS=50  BENCH_S4_ROUNDS=3
//   BENCH_S5_RATE=500 (updates/s, all writers)  BENCH_S5_SECONDS=12 (before the kill)  BENCH_S5_ROUNDS=1
//   BENCH_S6_SECONDS=10 (each page)  BENCH_S6_CONNECTIONS=50  BENCH_S6_ROUNDS=1
//   BENCH_BUILD=1 (rebuild the app for S6 even when build/ is there)  BENCH_CHROMIUM=/usr/bin/chromium
//   (S4 and S5 run in the first BENCH_S4_ROUNDS / BENCH_S5_ROUNDS rounds, never more than BENCH_ROUNDS)
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (where bench databases are made)
import { ALL_KINDS, baselineDir, SERVER_KINDS, type ServerKind } from './servers';

export interface S1Shape {
	id: 'S1a' | 'S1b' | 'S1c' | 'S1d' | 'S1c-aw' | 'S1d-aw';
	clients: number;
	docs: number;
	/** Every client also publishes its presence at PRESENCE_PER_SECOND (awareness protocol). */
	awareness: boolean;
	/** In `BENCH_ONLY=S1` (the default); the others run only when named. */
	byDefault: boolean;
}

export const S1_SHAPES: S1Shape[] = [
	{ id: 'S1a', clients: 10, docs: 1, awareness: false, byDefault: true },
	{ id: 'S1b', clients: 100, docs: 10, awareness: false, byDefault: true },
	{ id: 'S1c', clients: 500, docs: 100, awareness: false, byDefault: true },
	{ id: 'S1d', clients: 1000, docs: 100, awareness: false, byDefault: true },
	{ id: 'S1c-aw', clients: 500, docs: 100, awareness: true, byDefault: true },
	{ id: 'S1d-aw', clients: 1000, docs: 100, awareness: true, byDefault: false }
];
/** Presence messages a second from each client in the awareness shapes (a moving cursor). */
export const PRESENCE_PER_SECOND = 1;
/** S5: writers and readers on this setting (one reader of each document is its observer). */
export const S5_SHAPE = { clients: 100, docs: 10 };
/** S6: the phone the rota page's weight is measured on (Playwright's device list). */
export const S6_DEVICE = 'Pixel 7';
/** S2 steps its rate up on this setting. */
export const S2_SHAPE = { clients: 100, docs: 10 };
export const WRITERS_PER_DOC = 2;
export const S1_RATE_PER_WRITER = 5;
/** The real providers on the first document of each run type this many letters a second each. */
export const EDITOR_RATE = 2;
export const P99_LIMIT_MS = 100;

function number(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
	return value;
}

function list(name: string): string[] | null {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return null;
	return raw
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
}

export function benchConfig() {
	const only = (list('BENCH_ONLY') ?? ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']).map((s) =>
		s.toUpperCase()
	);
	// With BENCH_BASELINE, the earlier Kring runs right after today's in every round.
	const servers = (list('BENCH_SERVERS') ??
		(baselineDir() === null
			? SERVER_KINDS
			: SERVER_KINDS.flatMap((k) =>
					k === 'kring' ? ['kring', 'kring-before'] : [k]
				))) as ServerKind[];
	for (const s of servers) if (!ALL_KINDS.includes(s)) throw new Error(`unknown server ${s}`);
	const s1 = S1_SHAPES.filter(
		(shape) => (only.includes('S1') && shape.byDefault) || only.includes(shape.id.toUpperCase())
	);
	const s3 = only.includes('S3');
	const rounds = Math.round(number('BENCH_ROUNDS', 3));
	const roundsOf = (name: string, fallback: number) =>
		Math.min(rounds, Math.round(number(name, fallback)));
	return {
		servers,
		rounds,
		seconds: number('BENCH_SECONDS', 10),
		s1,
		/** S3 reads memory under the 500-client load: it runs S1c even when S1 is not asked for. */
		s1Runs: s3 && !s1.some((s) => s.id === 'S1c') ? [...s1, S1_SHAPES[2]!] : s1,
		s2: only.includes('S2'),
		s2StepSeconds: number('BENCH_S2_STEP_SECONDS', 3),
		s2Rates: (list('BENCH_S2_RATES') ?? ['200', '400', '800', '1200', '1600', '2400', '3200']).map(
			Number
		),
		s3,
		leaveSeconds: number('BENCH_LEAVE_SECONDS', 12),
		s4: only.includes('S4'),
		s4Rounds: roundsOf('BENCH_S4_ROUNDS', rounds),
		s4Updates: Math.round(number('BENCH_S4_UPDATES', 100_000)),
		s4Tail: Math.round(number('BENCH_S4_TAIL', 1_000)),
		stormClients: Math.round(number('BENCH_STORM_CLIENTS', 50)),
		s5: only.includes('S5'),
		s5Rounds: roundsOf('BENCH_S5_ROUNDS', 1),
		s5Rate: number('BENCH_S5_RATE', 500),
		s5Seconds: number('BENCH_S5_SECONDS', 12),
		s6: only.includes('S6'),
		s6Rounds: Math.round(number('BENCH_S6_ROUNDS', 1)),
		s6Seconds: number('BENCH_S6_SECONDS', 10),
		s6Connections: Math.round(number('BENCH_S6_CONNECTIONS', 50)),
		adminUrl: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
	};
}

export type BenchConfig = ReturnType<typeof benchConfig>;
