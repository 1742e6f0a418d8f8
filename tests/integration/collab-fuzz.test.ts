import { describe, expect, it } from 'vitest';
import { seedFromEnv } from '../fuzz/prng';
import { formatFigures, runFuzz, type FuzzFigures } from '../fuzz/run';

// The protocol fuzz, short: a few thousand frames mutated from recorded stock-client traffic, sent
// by an ordinary member's raw connections while honest stock clients type; then the server restarts
// (SIGTERM, then kill -9) and every line another honest client received must be stored.
// FUZZ_SEED=<seed> replays a run; `npm run fuzz` is the long version.
const seed = seedFromEnv();
/** Generous: not a timing benchmark, only "the board keeps working while someone fuzzes it". */
const ROUND_TRIP_BOUND_MS = 10_000;

function expectSound(figures: FuzzFigures): void {
	const context = `seed ${figures.seed} (FUZZ_SEED=${figures.seed} replays it)\n${formatFigures(figures)}\n${figures.examples.join('\n')}`;
	expect(figures.serverCrashes, context).toBe(0);
	expect(figures.unloadable, context).toBe(0);
	expect(figures.lostAfterSigterm, context).toBe(0);
	expect(figures.lostAfterSigkill, context).toBe(0);
	expect(figures.undelivered, context).toBe(0);
	expect(figures.roundTrip.max, context).toBeLessThan(ROUND_TRIP_BOUND_MS);
	expect(figures.acknowledged, context).toBeGreaterThan(100);
}

describe('the live board under a protocol fuzz', () => {
	it('keeps every acknowledged edit with honest clients alone (the control)', async () => {
		expectSound(await runFuzz({ seed, frames: 0, rate: 0, minPhaseMs: 4_000 }));
	}, 240_000);

	it('keeps every acknowledged edit, and honest round trips bounded, while a member fuzzes it', async () => {
		const figures = await runFuzz({ seed, frames: 3_000, rate: 300, minPhaseMs: 4_000 });
		console.info(formatFigures(figures));
		expect(figures.framesSent).toBe(3_000);
		expectSound(figures);
	}, 300_000);
});
