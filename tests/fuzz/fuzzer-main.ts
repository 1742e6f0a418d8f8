// The attacker in a process of its own (see fuzzer-process.ts): it is told what to fuzz in its
// first message, reports its counts every 200 ms, and stops early when told 'stop'.
import { runFuzzer } from './fuzzer';
import type { FuzzerTask } from './fuzzer-process';
import { Prng } from './prng';

const send = (message: unknown) =>
	new Promise<void>((resolve) =>
		process.send ? process.send(message, () => resolve()) : resolve()
	);

let stopping = false;
const given = await new Promise<FuzzerTask>((resolve) =>
	process.on('message', (message) => {
		if (message === 'stop') stopping = true;
		else resolve(message as FuzzerTask);
	})
);
const { counts } = given;
const progress = setInterval(() => void send({ counts }), 200);
await runFuzzer({ ...given, prng: new Prng(given.seed), counts, shouldStop: () => stopping });
clearInterval(progress);
await send({ counts, done: true });
process.disconnect();
