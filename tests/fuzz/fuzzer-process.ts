// Runs the fuzzer (fuzzer.ts) in a worker thread: the honest clients stay on the test's own event
// loop, so their round trips measure the server, not the fuzzer making frames beside them. The
// worker entry is bundled with esbuild first (packages left to node_modules), as the bench's
// servers are, so plain Node runs it.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import type { FuzzCounts, FuzzTarget } from './fuzzer';

const OUT = path.resolve('node_modules/.cache/kring-fuzz');
let bundled: Promise<string> | null = null;

function bundleWorker(): Promise<string> {
	bundled ??= build({
		entryPoints: [path.resolve('tests/fuzz/fuzzer-worker.ts')],
		outdir: OUT,
		outExtension: { '.js': '.mjs' },
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		logLevel: 'warning'
	}).then(() => path.join(OUT, 'fuzzer-worker.mjs'));
	return bundled;
}

/**
 * As `runFuzzer`, on its own thread; `counts` is kept up to date (every 200 ms) while it runs,
 * and `shouldStop` is asked every 100 ms.
 */
export async function runFuzzerApart(options: {
	targets: FuzzTarget[];
	perTarget: number;
	frames: number;
	rate: number;
	/** The thread's own PRNG seed (draw it from the run's PRNG, so a seed replays the run). */
	seed: number;
	counts: FuzzCounts;
	shouldStop?: () => boolean;
}): Promise<FuzzCounts> {
	const { shouldStop, counts, ...rest } = options;
	const worker = new Worker(await bundleWorker(), { workerData: { ...rest, counts } });
	const asking = setInterval(() => {
		if (shouldStop?.() === true) worker.postMessage('stop');
	}, 100);
	try {
		await new Promise<void>((resolve, reject) => {
			let done = false;
			worker.on('message', (message: { counts: FuzzCounts; done?: boolean }) => {
				Object.assign(counts, message.counts);
				if (message.done === true) done = true;
			});
			worker.once('error', reject);
			worker.once('exit', (code) =>
				done
					? resolve()
					: reject(new Error(`the fuzzer thread exited (${code}) before it was done`))
			);
		});
	} finally {
		clearInterval(asking);
	}
	return counts;
}
