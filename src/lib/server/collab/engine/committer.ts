import type { DocStore, LogEntry } from './store';

export interface CommitterOptions {
	/**
	 * How long an update waits for others before a commit starts, when none is running. 0: at once
	 * (on the next turn of the event loop); updates that arrive during a commit wait for it and go
	 * together in the next one, so batches grow with load and not with idle time.
	 */
	windowMs: number;
	/**
	 * How many batches may be written at once. While one waits on the database, the next starts on
	 * another connection instead of queueing behind it; past that, batches grow.
	 */
	maxInFlight: number;
	/** First retry delay after a failed commit; doubles up to `maxRetryMs`. */
	retryMs: number;
	maxRetryMs: number;
	onError(error: unknown, attempt: number): void;
}

interface Pending {
	entry: LogEntry;
	/** When it was submitted (ms since the epoch). */
	at: number;
	resolve(): void;
}

/**
 * Group commit: updates of every document are written to the log together, one transaction per
 * batch. `submit` resolves only once its entry is durable, so callers relay an update after it is
 * saved. A failed batch is retried (never dropped). Batches may commit out of order: Yjs updates
 * commute, and a client receiving an update before the one it builds on keeps it until that comes.
 */
export class Committer {
	private queue: Pending[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	private readonly running = new Set<Promise<void>>();
	/** Entries not durable yet, per document, as their submit promises. */
	private readonly waitingByDoc = new Map<string, Set<Promise<void>>>();
	private stopped = false;
	/** The batches being written, each oldest entries first. */
	private readonly inFlight = new Set<Pending[]>();
	/** Entries submitted and not yet durable, per document. */
	private readonly pendingByDoc = new Map<string, number>();
	private bytes = 0;
	private failedAt: number | null = null;
	/** Told after each failed attempt and each batch made durable (see `watch`). */
	private readonly watchers: (() => void)[] = [];

	constructor(
		private readonly store: DocStore,
		private readonly options: CommitterOptions
	) {}

	submit(entry: LogEntry): Promise<void> {
		const done = new Promise<void>((resolve) => this.queue.push({ entry, at: Date.now(), resolve }));
		this.pendingByDoc.set(entry.docName, (this.pendingByDoc.get(entry.docName) ?? 0) + 1);
		this.bytes += entry.update.byteLength;
		const waiting = this.waitingByDoc.get(entry.docName) ?? new Set();
		waiting.add(done);
		this.waitingByDoc.set(entry.docName, waiting);
		void done.then(() => {
			waiting.delete(done);
			if (waiting.size === 0 && this.waitingByDoc.get(entry.docName) === waiting) this.waitingByDoc.delete(entry.docName);
		});
		this.schedule();
		return done;
	}

	/** Bytes of updates submitted and not durable yet: what the server holds for a database away. */
	get pendingBytes(): number {
		return this.bytes;
	}

	/** Documents with updates submitted and not durable yet. */
	pendingDocs(): IterableIterator<string> {
		return this.pendingByDoc.keys();
	}

	hasPending(docName: string): boolean {
		return this.pendingByDoc.has(docName);
	}

	/** When the oldest update not yet durable was submitted (ms since the epoch), or null. */
	get oldestPendingAt(): number | null {
		let oldest = this.queue[0]?.at ?? null;
		for (const batch of this.inFlight) {
			const at = batch[0]?.at;
			if (at !== undefined && (oldest === null || at < oldest)) oldest = at;
		}
		return oldest;
	}

	/** When the commits started failing (ms since the epoch), or null while the last one worked. */
	get failingSince(): number | null {
		return this.failedAt;
	}

	/** Calls `watcher` after each failed attempt and each batch made durable (the storage status). */
	watch(watcher: () => void): void {
		this.watchers.push(watcher);
	}

	/** Resolves once everything submitted so far for this document is durable. */
	idle(docName: string): Promise<void> {
		const waiting = this.waitingByDoc.get(docName);
		return waiting === undefined ? Promise.resolve() : Promise.all([...waiting]).then(() => {});
	}

	private schedule(): void {
		if (this.timer !== null || this.stopped || this.queue.length === 0) return;
		if (this.running.size >= this.options.maxInFlight) return; // the next to finish starts one
		this.timer = setTimeout(() => {
			this.timer = null;
			this.start();
		}, this.options.windowMs);
	}

	private start(): void {
		if (this.queue.length === 0) return;
		const running: Promise<void> = this.drain().finally(() => {
			this.running.delete(running);
			this.schedule();
		});
		this.running.add(running);
	}

	private async drain(): Promise<void> {
		const batch = this.queue.splice(0, this.queue.length);
		this.inFlight.add(batch);
		try {
			await this.write(batch);
		} finally {
			this.inFlight.delete(batch);
		}
		this.failedAt = null;
		for (const p of batch) {
			this.bytes -= p.entry.update.byteLength;
			const left = (this.pendingByDoc.get(p.entry.docName) ?? 1) - 1;
			if (left > 0) this.pendingByDoc.set(p.entry.docName, left);
			else this.pendingByDoc.delete(p.entry.docName);
			p.resolve();
		}
		this.tell();
	}

	/**
	 * Writes one batch, in one transaction, retrying until it is durable (after a stop, gives up
	 * loudly after a few attempts). The one place a batch meets the store.
	 */
	private async write(batch: Pending[]): Promise<void> {
		let delay = this.options.retryMs;
		for (let attempt = 1; ; attempt++) {
			try {
				return await this.store.append(batch.map((p) => p.entry));
			} catch (error) {
				this.failedAt ??= Date.now();
				this.options.onError(error, attempt);
				this.tell();
				if (this.stopped && attempt >= 5) throw error;
				await new Promise((r) => setTimeout(r, delay));
				delay = Math.min(delay * 2, this.options.maxRetryMs);
			}
		}
	}

	private tell(): void {
		for (const watcher of this.watchers) watcher();
	}

	/** Writes everything still queued now (for shutdown and unloading). */
	async flush(): Promise<void> {
		if (this.timer !== null) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		while (this.running.size > 0 || this.queue.length > 0) {
			this.start();
			await Promise.all([...this.running]);
		}
	}

	/** Stops scheduling; a final flush still retries a few times before giving up loudly. */
	async stop(): Promise<void> {
		this.stopped = true;
		await this.flush();
	}
}
