// `npm run fuzz`: the long protocol fuzz (FUZZ_FRAMES, default 1,000,000, at FUZZ_RATE frames a
// second, default 1,000; FUZZ_SEED replays a run). Prints progress every 10 s and the figures; fails
// on what the short test in tests/integration/collab-fuzz.test.ts asserts, minus the round-trip bound.
import { expect, it } from 'vitest';
import { ensureBuilt } from '../bench/lib/app-build';
import { seedFromEnv } from './prng';
import { formatFigures, runFuzz } from './run';

function positive(name: string, fallback: number): number {
	const given = process.env[name];
	if (given === undefined || given === '') return fallback;
	const value = Number(given);
	if (!Number.isFinite(value) || value <= 0)
		throw new Error(`${name} must be a positive number, not ${given}`);
	return value;
}

const frames = positive('FUZZ_FRAMES', 1_000_000);
const rate = positive('FUZZ_RATE', 1_000);
const seed = seedFromEnv();
// FUZZ_NICE: how much lower the fuzzer's own process runs (0 to 19; default and bounds in
// fuzzer-process.ts).
const niceness =
	process.env.FUZZ_NICE === undefined || process.env.FUZZ_NICE === ''
		? undefined
		: Number(process.env.FUZZ_NICE);

it(
	'survives a long protocol fuzz with every acknowledged edit stored',
	async () => {
		console.info(
			`[fuzz] seed ${seed} (FUZZ_SEED=${seed} replays it): ${frames} frames at up to ${rate}/s`
		);
		await ensureBuilt();
		const figures = await runFuzz({
			seed,
			frames,
			rate,
			fuzzerNiceness: niceness,
			log: (line) => console.info(`[fuzz] ${line}`)
		});
		console.info(`\n${formatFigures(figures)}\n`);
		if (figures.examples.length > 0)
			console.info(`[fuzz] examples:\n${figures.examples.join('\n')}`);
		expect(figures, `seed ${seed}`).toMatchObject({
			serverCrashes: 0,
			unloadable: 0,
			stalled: false
		});
		for (const group of ['control', 'bystander', 'fuzzed'] as const)
			expect(figures.lines[group], `${group} lines, seed ${seed}`).toMatchObject({
				undelivered: 0,
				lostAfterSigterm: 0,
				lostAfterSigkill: 0
			});
	},
	// The run ends itself: when its frames are sent at whatever rate the machine allows, or when no
	// frame went out for a minute (runFuzz's stallMs). This is only a backstop.
	24 * 3_600_000
);
