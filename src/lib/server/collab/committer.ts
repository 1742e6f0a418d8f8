import type { DocStore, LogEntry } from './store';

export interface CommitterOptions {
	/**
	 * How long an update waits for others before a commit starts, when none is running. 0: at once
	 * (on the next turn of the event loop); updates that arrive during a commit wait for it and go
	 * together in the next one, so batches grow with load and not with idle time.
	 */
	windowMs: number;
	/** First retry delay after a failed commit; doubles up to `maxRetryMs`. */
	retryMs: number;
	maxRetryMs: number;
	onError(error: unknown, attempt: number): void;
	/** Told after each failed attempt and each batch made durable (the storage status follows it). */
	onProgress?(): void;
}

interface Pending {
	entry: LogEntry;
	/** When it was submitted (ms since the epoch). */
	at: number;
	resolve(): void;
}

/**
 * Group commit: updates of every document are written to the log together, one transaction per
 * batch every few milliseconds. `submit` resolves only once its entry is durable, so callers relay
 * an update after it is saved. A failed batch is retried (never dropped) and holds back later ones,
 * keeping each document's log in order.
 */
export class Committer {
	private queue: Pending[] = [];
	private timer: ReturnType<typeof setTimeout> | null = null;
	private running: Promise<void> | null = null;
	private lastByDoc = new Map<string, Promise<void>>();
	private stopped = false;
	/** The batch being written, oldest entries first. */
	private inFlight: Pending[] = [];
	/** Entries submitted and not yet durable, per document. */
	private readonly pendingByDoc = new Map<string, number>();
	private bytes = 0;
	private failedAt: number | null = null;

	constructor(
		private readonly store: DocStore,
		private readonly options: CommitterOptions
	) {}

	submit(entry: LogEntry): Promise<void> {
		const done = new Promise<void>((resolve) => this.queue.push({ entry, at: Date.now(), resolve }));
		this.pendingByDoc.set(entry.docName, (this.pendingByDoc.get(entry.docName) ?? 0) + 1);
		this.bytes += entry.update.byteLength;
		this.lastByDoc.set(entry.docName, done);
		void done.then(() => {
			if (this.lastByDoc.get(entry.docName) === done) this.lastByDoc.delete(entry.docName);
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
		return (this.inFlight[0] ?? this.queue[0])?.at ?? null;
	}

	/** When the commits started failing (ms since the epoch), or null while the last one worked. */
	get failingSince(): number | null {
		return this.failedAt;
	}

	/** Resolves once everything submitted so far for this document is durable. */
	idle(docName: string): Promise<void> {
		return this.lastByDoc.get(docName) ?? Promise.resolve();
	}

	private schedule(): void {
		if (this.timer !== null || this.running !== null || this.stopped) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.running = this.drain().finally(() => {
				this.running = null;
				if (this.queue.length > 0) this.schedule();
			});
		}, this.options.windowMs);
	}

	private async drain(): Promise<void> {
		const batch = this.queue.splice(0, this.queue.length);
		this.inFlight = batch;
		let delay = this.options.retryMs;
		for (let attempt = 1; ; attempt++) {
			try {
				await this.store.append(batch.map((p) => p.entry));
				break;
			} catch (error) {
				this.failedAt ??= Date.now();
				this.options.onError(error, attempt);
				this.options.onProgress?.();
				if (this.stopped && attempt >= 5) {
					this.inFlight = [];
					throw error;
				}
				await new Promise((r) => setTimeout(r, delay));
				delay = Math.min(delay * 2, this.options.maxRetryMs);
			}
		}
		this.inFlight = [];
		this.failedAt = null;
		for (const p of batch) {
			this.bytes -= p.entry.update.byteLength;
			const left = (this.pendingByDoc.get(p.entry.docName) ?? 1) - 1;
			if (left > 0) this.pendingByDoc.set(p.entry.docName, left);
			else this.pendingByDoc.delete(p.entry.docName);
			p.resolve();
		}
		this.options.onProgress?.();
	}

	/** Writes everything still queued now (for shutdown and unloading). */
	async flush(): Promise<void> {
		if (this.timer !== null) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		while (this.running !== null || this.queue.length > 0) {
			if (this.running !== null) {
				await this.running;
				continue;
			}
			this.running = this.drain().finally(() => (this.running = null));
		}
	}

	/** Stops scheduling; a final flush still retries a few times before giving up loudly. */
	async stop(): Promise<void> {
		this.stopped = true;
		await this.flush();
	}
}
