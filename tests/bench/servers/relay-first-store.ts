// KRING_BENCH_RELAY=first (server kind `kring-relay-first`): what saving before relaying costs.
// The engine relays an update once its commit resolves; this store resolves `append` as soon as
// the entries have their sequence numbers and writes them in the background, through a group
// committer of its own with the engine's tuning, so the database gets the same batches as when the
// engine waits for them: relay first, same write load. Reads and compactions of a document wait
// for its background writes, so nothing is lost between them. Bench only: with it, what someone
// saw may not be stored.
import { Committer } from '../../../src/lib/server/collab/engine/committer';
import { DEFAULTS } from '../../../src/lib/server/collab/engine/defaults';
import type { DocStore, LogEntry } from '../../../src/lib/server/collab/engine/store';

export interface RelayFirstOptions {
	/** The first of a block of `block` sequence numbers no one else has (Postgres: `collab_seq`). */
	reserve(): Promise<number>;
	block: number;
	commitWindowMs: number;
	commitsInFlight: number;
}

export class RelayFirstStore implements DocStore {
	private readonly background: Committer;
	private next = 0;
	private end = 0;

	constructor(
		private readonly inner: DocStore,
		private readonly options: RelayFirstOptions
	) {
		this.background = new Committer(inner, {
			windowMs: options.commitWindowMs,
			maxInFlight: options.commitsInFlight,
			retryMs: DEFAULTS.commitRetryMs,
			maxRetryMs: DEFAULTS.commitMaxRetryMs,
			onError: (error, attempt) =>
				console.error(`[bench] background commit failed (attempt ${attempt}):`, error)
		});
	}

	async append(entries: LogEntry[]): Promise<void> {
		for (const entry of entries) entry.seq ??= await this.seq();
		for (const entry of entries) void this.background.submit(entry);
	}

	async load(docName: string) {
		await this.background.idle(docName);
		return this.inner.load(docName);
	}

	async fetch(docName: string, seqs: number[]) {
		await this.background.idle(docName);
		return this.inner.fetch(docName, seqs);
	}

	async owners(docName: string, clientIds: number[]) {
		await this.background.idle(docName);
		return this.inner.owners(docName, clientIds);
	}

	async compact(docName: string, state: Uint8Array, covered: number[], knownVersion: number) {
		await this.background.idle(docName);
		return this.inner.compact(docName, state, covered, knownVersion);
	}

	/** Writes what is still in the background. */
	stop(): Promise<void> {
		return this.background.stop();
	}

	private async seq(): Promise<number> {
		if (this.next >= this.end) {
			this.next = await this.options.reserve();
			this.end = this.next + this.options.block;
		}
		return this.next++;
	}
}
