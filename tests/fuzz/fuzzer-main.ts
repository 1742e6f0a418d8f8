// The attacker on a thread of its own (see fuzzer-thread.ts): making and sending frames then does
// not delay the honest clients whose round trips the run measures.
import { parentPort, workerData } from 'node:worker_threads';
import { runFuzzer, type FuzzCounts, type FuzzTarget } from './fuzzer';
import { Prng } from './prng';

const given = workerData as {
	targets: FuzzTarget[];
	perTarget: number;
	frames: number;
	rate: number;
	seed: number;
	counts: FuzzCounts;
};
const port = parentPort!;
let stopping = false;
port.on('message', (message) => {
	if (message === 'stop') stopping = true;
});
const { counts } = given;
const progress = setInterval(() => port.postMessage({ counts }), 200);
await runFuzzer({ ...given, prng: new Prng(given.seed), counts, shouldStop: () => stopping });
clearInterval(progress);
port.postMessage({ counts, done: true });
port.close();
