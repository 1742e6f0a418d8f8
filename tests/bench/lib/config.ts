// What a run measures, from the environment (every figure's duration is configurable, so a quick
// look and the full run are the same code):
//   BENCH_ONLY=S1,S2,S3 (or S1a, S1b, S1c)  BENCH_SERVERS=kring,hocuspocus,reference (add
//   kring-memory: Kring's engine on its in-memory store, to see what the Postgres commit costs)
//   BENCH_PROFILE=1: a CPU profile of each server process in test-results/bench/profiles/
//   BENCH_ROUNDS=3  BENCH_SECONDS=10 (each S1 run)  BENCH_S2_STEP_SECONDS=3
//   BENCH_S2_RATES=200,400,…  BENCH_LEAVE_SECONDS=12 (Kring unloads 10 s after the last client)
//   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (where bench databases are made)
import { ALL_KINDS, SERVER_KINDS, type ServerKind } from './servers';

export interface S1Shape {
	id: 'S1a' | 'S1b' | 'S1c';
	clients: number;
	docs: number;
}

export const S1_SHAPES: S1Shape[] = [
	{ id: 'S1a', clients: 10, docs: 1 },
	{ id: 'S1b', clients: 100, docs: 10 },
	{ id: 'S1c', clients: 500, docs: 100 }
];
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
	const only = (list('BENCH_ONLY') ?? ['S1', 'S2', 'S3']).map((s) => s.toUpperCase());
	const servers = (list('BENCH_SERVERS') ?? SERVER_KINDS) as ServerKind[];
	for (const s of servers) if (!ALL_KINDS.includes(s)) throw new Error(`unknown server ${s}`);
	const s1 = S1_SHAPES.filter(
		(shape) => only.includes('S1') || only.includes(shape.id.toUpperCase())
	);
	const s3 = only.includes('S3');
	return {
		servers,
		rounds: Math.round(number('BENCH_ROUNDS', 3)),
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
		adminUrl: process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres'
	};
}

export type BenchConfig = ReturnType<typeof benchConfig>;
