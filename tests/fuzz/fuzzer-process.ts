// Runs the fuzzer (fuzzer.ts) in a process of its own, at a lower priority than the rest: the
// attacker stands for someone elsewhere, whose CPU is not the server's. On this 2-core machine it
// shares the processors with the server, Postgres and the honest clients; a lower priority has the
// machine serve those first, and the run still says whether the attacker reached its frame rate.
// The honest clients stay on the test's own event loop, so their round trips measure the server,
// not the fuzzer making frames beside them. The entry is bundled with esbuild first (packages left
// to node_modules), as the bench's servers are, so plain Node runs it.
import { fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { FuzzCounts, FuzzTarget } from './fuzzer';

const OUT = path.resolve('node_modules/.cache/kring-fuzz');
let bundled: Promise<string> | null = null;

function bundleFuzzer(): Promise<string> {
	bundled ??= build({
		entryPoints: [path.resolve('tests/fuzz/fuzzer-main.ts')],
		outdir: OUT,
		outExtension: { '.js': '.mjs' },
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		logLevel: 'warning'
	}).then(() => path.join(OUT, 'fuzzer-main.mjs'));
	return bundled;
}

/** How much lower the fuzzer's priority is than the test's (nice levels; 0: the same). */
export const FUZZER_NICENESS = 10;

/** How much lower the fuzzer runs, from what was asked: a whole step from 0 to 19. */
export function fuzzerNiceness(asked: number): number {
	return Math.min(19, Math.max(0, Math.round(asked) || 0));
}

/** What the fuzzer's process is told to do (its first message). */
export interface FuzzerTask {
	targets: FuzzTarget[];
	perTarget: number;
	frames: number;
	rate: number;
	/** The process's own PRNG seed (draw it from the run's PRNG, so a seed replays the run). */
	seed: number;
	counts: FuzzCounts;
}

/**
 * As `runFuzzer`, in its own process; `counts` is kept up to date (every 200 ms) while it runs,
 * and `shouldStop` is asked every 100 ms.
 */
export async function runFuzzerApart(
	options: FuzzerTask & {
		niceness?: number;
		shouldStop?: () => boolean;
		/** Told the fuzzer's process id once it started (to watch its CPU). */
		started?: (pid: number) => void;
	}
): Promise<FuzzCounts> {
	const { shouldStop, started, counts, niceness = FUZZER_NICENESS, ...rest } = options;
	// Structured clone, not JSON: the recorded frames are Uint8Arrays.
	const child = fork(await bundleFuzzer(), [], {
		execArgv: [],
		stdio: 'inherit',
		serialization: 'advanced'
	});
	if (child.pid !== undefined) {
		const lower = fuzzerNiceness(niceness);
		if (lower !== 0) setPriority(child.pid, Math.min(19, getPriority() + lower));
		started?.(child.pid);
	}
	const asking = setInterval(() => {
		if (shouldStop?.() === true && child.connected) child.send('stop');
	}, 100);
	try {
		await new Promise<void>((resolve, reject) => {
			child.on('message', (message: { counts: FuzzCounts; done?: boolean }) => {
				Object.assign(counts, message.counts);
				if (message.done === true) resolve();
			});
			child.once('error', reject);
			child.once('exit', (code, signal) =>
				reject(new Error(`the fuzzer exited (${signal ?? code}) before it was done`))
			);
			child.send({ ...rest, counts });
		});
	} finally {
		clearInterval(asking);
		if (child.exitCode === null && child.signalCode === null) child.kill();
	}
	return counts;
}
