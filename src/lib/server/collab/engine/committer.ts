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
	/** A write failed for a reason that may pass (database away, connection lost): retried. */
	onError(error: unknown, attempt: number): void;
	/** The store refused one of the document's updates for what it holds: the document is isolated. */
	onIsolated?(docName: string, error: unknown): void;
}

interface Pending {
	entry: LogEntry;
	/** When it was submitted (ms since the epoch). */
	at: number;
	/** true once durable; false when refused (its document is isolated). */
	resolve(saved: boolean): void;
}

/** The SQLSTATE of a database error (on the error or a cause it wraps), or null. */
function sqlState(error: unknown): string | null {
	let current = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
		current = cause;
	}
	return null;
}

/** Missing tables, columns or functions: the schema is wrong for everyone, not one update. */
const SCHEMA_ERRORS = new Set(['42P01', '42703', '42883', '3F000']);

/**
 * Whether the database refused what the entries hold (data exceptions 22, integrity 23, syntax or
 * rule 42, program limits 54), so writing the same entries again can never work. Anything else
 * (connection lost 08, shutdown 57P, resources 53, conflicts 40, no SQLSTATE at all) may pass.
 */
export function isDataError(error: unknown): boolean {
	const code = sqlState(error);
	if (code === null || SCHEMA_ERRORS.has(code)) return false;
	return /^(22|23|42|54)/.test(code);
}

/**
 * Group commit: updates of every document are written to the log together, one transaction per
 * batch. `submit` resolves only once its entry is durable, so callers relay an update after it is
 * saved. Batches may commit out of order: Yjs updates commute, and a client receiving an update
 * before the one it builds on keeps it until that comes.
 *
 * A batch that fails for a reason that may pass is retried whole, with backoff, never dropped. One
 * the database refuses for what it holds (see `isDataError`) is split by document, each part
 * written on its own, so one document's update never holds another's; a part still refused is
 * bisected, its entries kept in order: the longest prefix the store takes is written, and the
 * first refused entry and every later one of that document are refused (`submit` resolves false).
 * That document is then isolated: its updates are refused at once until `release`.
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
	/** Documents whose update the store refused, and since when. */
	private readonly isolated = new Map<string, Date>();

	constructor(
		private readonly store: DocStore,
		private readonly options: CommitterOptions
	) {}

	/** Resolves true once the entry is durable, false if it is refused (its document is isolated). */
	submit(entry: LogEntry): Promise<boolean> {
		if (this.isolated.has(entry.docName)) return Promise.resolve(false);
		const done = new Promise<boolean>((resolve) =>
			this.queue.push({ entry, at: Date.now(), resolve })
		);
		this.pendingByDoc.set(entry.docName, (this.pendingByDoc.get(entry.docName) ?? 0) + 1);
		this.bytes += entry.update.byteLength;
		const waiting = this.waitingByDoc.get(entry.docName) ?? new Set<Promise<void>>();
		const settled = done.then(() => {});
		waiting.add(settled);
		this.waitingByDoc.set(entry.docName, waiting);
		void settled.then(() => {
			waiting.delete(settled);
			if (waiting.size === 0 && this.waitingByDoc.get(entry.docName) === waiting)
				this.waitingByDoc.delete(entry.docName);
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

	/** Since when the document is isolated (an update of it was refused), or null. */
	isolatedSince(docName: string): Date | null {
		return this.isolated.get(docName) ?? null;
	}

	/** Takes the document's updates again (its room was unloaded: it reloads from the store). */
	release(docName: string): void {
		this.isolated.delete(docName);
	}

	/** Resolves once everything submitted so far for this document is durable or refused. */
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
		let refused: Set<Pending>;
		try {
			refused = await this.write(batch);
		} finally {
			this.inFlight.delete(batch);
		}
		this.failedAt = null;
		for (const p of batch) {
			this.bytes -= p.entry.update.byteLength;
			const left = (this.pendingByDoc.get(p.entry.docName) ?? 1) - 1;
			if (left > 0) this.pendingByDoc.set(p.entry.docName, left);
			else this.pendingByDoc.delete(p.entry.docName);
			p.resolve(!refused.has(p));
		}
		this.tell();
	}

	/**
	 * Writes one batch, in one transaction if the store takes it whole, else document by document
	 * (see the class). The one place a batch meets the store. Returns the entries refused.
	 */
	private async write(batch: Pending[]): Promise<Set<Pending>> {
		const refused = new Set<Pending>();
		// A document isolated while this batch waited: its entries are not written.
		const live: Pending[] = [];
		for (const p of batch) {
			if (this.isolated.has(p.entry.docName)) refused.add(p);
			else live.push(p);
		}
		if ((await this.attempt(live)) === null) return refused;
		const parts = new Map<string, Pending[]>();
		for (const p of live) {
			const part = parts.get(p.entry.docName) ?? [];
			part.push(p);
			parts.set(p.entry.docName, part);
		}
		for (const [docName, part] of parts) {
			const error = await this.attempt(part);
			if (error === null) continue;
			const written = await this.writePrefix(part);
			for (const p of part.slice(written)) refused.add(p);
			this.isolated.set(docName, new Date());
			this.options.onIsolated?.(docName, error);
		}
		return refused;
	}

	/**
	 * Writes the longest prefix of `entries` (which the store refused as a whole) that the store
	 * takes, by halves; returns its length.
	 */
	private async writePrefix(entries: Pending[]): Promise<number> {
		if (entries.length <= 1) return 0;
		const half = Math.ceil(entries.length / 2);
		const left = entries.slice(0, half);
		if ((await this.attempt(left)) !== null) return this.writePrefix(left);
		const right = entries.slice(half);
		if ((await this.attempt(right)) === null) return entries.length;
		return half + (await this.writePrefix(right));
	}

	/**
	 * Appends the entries in one transaction, retrying with backoff while the failure may pass
	 * (after a stop, gives up loudly after a few attempts). Returns null once they are durable, or
	 * the error when the store refused what they hold.
	 */
	private async attempt(entries: Pending[]): Promise<unknown> {
		if (entries.length === 0) return null;
		let delay = this.options.retryMs;
		for (let attempt = 1; ; attempt++) {
			try {
				await this.store.append(entries.map((p) => p.entry));
				return null;
			} catch (error) {
				if (isDataError(error)) return error;
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
