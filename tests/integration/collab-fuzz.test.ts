import { beforeAll, describe, expect, it } from 'vitest';
import { seedFromEnv } from '../fuzz/prng';
import { formatFigures, runFuzz, type FuzzFigures, type Tally } from '../fuzz/run';

// The protocol fuzz, short, on one server: per phase, honest stock clients type alone for a few
// seconds (the control), then an ordinary member's raw connections send mutated frames recorded
// from stock-client traffic into three documents while a fourth is left alone (the bystander);
// then the server restarts (SIGTERM, then kill -9) and every line another honest client received
// must be stored. FUZZ_SEED=<seed> replays a run; `npm run fuzz` is the long version.
const seed = seedFromEnv();
const FRAMES = 3_000;
/** Generous: not a timing benchmark, only "the board keeps working while someone fuzzes it". */
const ROUND_TRIP_BOUND_MS = 10_000;

let figures: FuzzFigures;
const context = () =>
	`seed ${figures.seed} (FUZZ_SEED=${figures.seed} replays it)\n${formatFigures(figures)}\n${figures.examples.join('\n')}`;

function expectKept(tally: Tally, least: number): void {
	expect(tally.lostAfterSigterm, context()).toBe(0);
	expect(tally.lostAfterSigkill, context()).toBe(0);
	expect(tally.undelivered, context()).toBe(0);
	expect(tally.acknowledged, context()).toBeGreaterThanOrEqual(least);
}

beforeAll(async () => {
	figures = await runFuzz({
		seed,
		frames: FRAMES,
		rate: 300,
		teams: 1,
		quietMs: 3_000,
		minPhaseMs: 4_000,
		log: (line) => console.info(`[fuzz] ${line}`)
	});
	console.info(formatFigures(figures));
}, 400_000);

describe('the live board under a protocol fuzz', () => {
	it('keeps every edit honest clients made alone, through SIGTERM and kill -9 (the control)', () => {
		expectKept(figures.lines.control, 50);
		expect(figures.quietRoundTrip.max, context()).toBeLessThan(ROUND_TRIP_BOUND_MS);
	});

	it('keeps every acknowledged edit, and honest round trips bounded, while a member fuzzes it', () => {
		expect(figures.framesSent, context()).toBe(FRAMES);
		expect(figures.serverCrashes, context()).toBe(0);
		expect(figures.unloadable, context()).toBe(0);
		expectKept(figures.lines.bystander, 20);
		expectKept(figures.lines.fuzzed, 50);
		expect(figures.roundTrip.max, context()).toBeLessThan(ROUND_TRIP_BOUND_MS);
	});
});
