// A DocStore wrapper that times each group commit's append (and counts its entries), so the bench
// can say where Kring's relay latency goes, and counts loads (S4's join storm: one load however
// many clients arrive at once). It adds two clock reads per batch, nothing else. Every other
// method goes straight to the wrapped store (a Proxy, so the wrapper follows the store's interface
// as it changes).
import type { DocStore, LogEntry } from '../../../src/lib/server/collab/engine/store';

export class TimedStore {
	/** The store to hand to the engine: the wrapped one, with `append` and `load` counted. */
	readonly store: DocStore;
	/** Loads since the process started, per document (never reset). */
	readonly loads = new Map<string, number>();
	private durations: number[] = [];
	private entries = 0;
	private since = performance.now();

	constructor(inner: DocStore) {
		const append = async (entries: LogEntry[]): Promise<void> => {
			const started = performance.now();
			try {
				await inner.append(entries);
			} finally {
				this.durations.push(performance.now() - started);
				this.entries += entries.length;
			}
		};
		const load: DocStore['load'] = (docName) => {
			this.loads.set(docName, (this.loads.get(docName) ?? 0) + 1);
			return inner.load(docName);
		};
		this.store = new Proxy(inner, {
			get(target, key) {
				if (key === 'append') return append;
				if (key === 'load') return load;
				const value: unknown = Reflect.get(target, key, target);
				return typeof value === 'function' ? value.bind(target) : value;
			}
		});
	}

	/**
	 * Figures since the last call: commits a second, entries per commit, append p50/p99 (ms); and
	 * the loads since the start.
	 */
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
			appendP99: at(0.99),
			storeLoads: [...this.loads.values()].reduce((a, b) => a + b, 0)
		};
		this.durations = [];
		this.entries = 0;
		this.since = performance.now();
		return out;
	}

	/** How often one document was loaded since the start. */
	loadsOf(docName: string): number {
		return this.loads.get(docName) ?? 0;
	}
}
