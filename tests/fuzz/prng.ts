/**
 * A small seeded PRNG (mulberry32), so a fuzz run can be replayed from its seed. Not for secrets.
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */
export class Prng {
	private state: number;

	constructor(readonly seed: number) {
		this.state = seed >>> 0;
	}

	/** A float in [0, 1). */
	next(): number {
		this.state = (this.state + 0x6d2b79f5) >>> 0;
		let t = this.state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		if (items.length === 0) throw new Error('pick from an empty list');
		return items[Math.floor(this.next() * items.length)]!;
	}

	/** A key of `weights`, drawn in proportion to its weight. */
	weighted<K extends string>(weights: Record<K, number>): K {
		const entries = Object.entries(weights) as [K, number][];
		let roll = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
		for (const [key, weight] of entries) {
			roll -= weight;
			if (roll < 0) return key;
		}
		return entries[entries.length - 1]![0];
	}

	bytes(length: number): Uint8Array {
		const out = new Uint8Array(length);
		for (let i = 0; i < length; i++) out[i] = Math.floor(this.next() * 256);
		return out;
	}
}

/** The seed of a run: `FUZZ_SEED` when given (to replay one), else a fresh one. */
export function seedFromEnv(): number {
	const given = process.env.FUZZ_SEED;
	if (given !== undefined && given !== '') {
		const seed = Number(given);
		if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
			throw new Error(`FUZZ_SEED must be an integer in [0, 2^32), not ${given}`);
		return seed;
	}
	return Math.floor(Math.random() * 0xffffffff);
}
