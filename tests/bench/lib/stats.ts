/** Nearest-rank percentile of unsorted samples (NaN when there are none). */
export function percentile(samples: number[], q: number): number {
	if (samples.length === 0) return NaN;
	const sorted = Float64Array.from(samples).sort();
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
	const finite = values.filter((v) => Number.isFinite(v));
	return finite.length === 0 ? NaN : percentile(finite, 0.5);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `done()` or the deadline; true when it got there. */
export async function until(
	done: () => boolean,
	timeoutMs: number,
	everyMs = 50
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (!done()) {
		if (Date.now() > deadline) return false;
		await sleep(everyMs);
	}
	return true;
}
