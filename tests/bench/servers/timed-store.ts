// A DocStore wrapper that times each group commit's append (and counts its entries), so the bench
// can say where Kring's relay latency goes. It adds two clock reads per batch, nothing else.
import type { DocStore, LogEntry, StoredDocument } from '../../../src/lib/server/collab/store';

export class TimedStore implements DocStore {
	private durations: number[] = [];
	private entries = 0;
	private since = performance.now();

	constructor(private readonly inner: DocStore) {}

	load(docName: string): Promise<StoredDocument> {
		return this.inner.load(docName);
	}

	fetch(docName: string, seqs: number[]): Promise<{ seq: number; update: Uint8Array }[]> {
		return this.inner.fetch(docName, seqs);
	}

	compact(docName: string, state: Uint8Array, covered: number[], knownVersion: number): Promise<number> {
		return this.inner.compact(docName, state, covered, knownVersion);
	}

	async append(entries: LogEntry[]): Promise<void> {
		const started = performance.now();
		try {
			await this.inner.append(entries);
		} finally {
			this.durations.push(performance.now() - started);
			this.entries += entries.length;
		}
	}

	/** Figures since the last call: commits a second, entries per commit, append p50/p99 (ms). */
	figures(): Record<string, number> {
		const sorted = Float64Array.from(this.durations).sort();
		const at = (q: number) =>
			sorted.length === 0
				? NaN
				: sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
		const seconds = (performance.now() - this.since) / 1000;
		const out = {
			commitsPerSecond: sorted.length / seconds,
			entriesPerCommit: sorted.length === 0 ? 0 : this.entries / sorted.length,
			appendP50: at(0.5),
			appendP99: at(0.99)
		};
		this.durations = [];
		this.entries = 0;
		this.since = performance.now();
		return out;
	}
}
