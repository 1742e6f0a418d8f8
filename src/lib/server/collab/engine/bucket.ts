/**
 * A token bucket: `take(n)` is false when its owner asks for more than `perSecond` a second past
 * a burst of `burst`.
 */
export class Bucket {
	private tokens: number;
	private lastRefill = Date.now();

	constructor(
		private readonly perSecond: number,
		private readonly burst: number
	) {
		this.tokens = burst;
	}

	take(n = 1, now = Date.now()): boolean {
		this.tokens = Math.min(
			this.burst,
			this.tokens + ((now - this.lastRefill) / 1000) * this.perSecond
		);
		this.lastRefill = now;
		if (this.tokens < n) return false;
		this.tokens -= n;
		return true;
	}
}

/** One bucket per key (a user), made on first use. */
export class Buckets {
	private readonly buckets = new Map<string, Bucket>();

	constructor(
		private readonly perSecond: number,
		private readonly burst: number
	) {}

	take(key: string, n = 1): boolean {
		let bucket = this.buckets.get(key);
		if (bucket === undefined) {
			bucket = new Bucket(this.perSecond, this.burst);
			this.buckets.set(key, bucket);
		}
		return bucket.take(n);
	}
}
