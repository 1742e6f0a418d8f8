import type { Committer } from './committer';

export interface StorageStatusOptions {
	/** Updates waiting longer than this count as a database away, even before a commit fails. */
	stallMs: number;
	/** How often the wait is looked at (failures and saves are looked at when the committer tells). */
	everyMs: number;
	/** Told when a document starts waiting for the database (`since`), and when it is saved (null). */
	publish(docName: string, since: Date | null): void;
}

/**
 * Which documents hold updates the database has not taken: while commits fail or stall, every
 * document with something pending is marked unavailable; a mark goes once that document's
 * pending updates are all saved.
 */
export class StorageStatus {
	private readonly marked = new Map<string, Date>();
	private readonly timer: ReturnType<typeof setInterval>;

	constructor(
		private readonly committer: Committer,
		private readonly options: StorageStatusOptions
	) {
		committer.watch(() => this.check());
		this.timer = setInterval(() => this.check(), options.everyMs);
		this.timer.unref();
	}

	/** Documents marked unavailable now. */
	get unavailable(): number {
		return this.marked.size;
	}

	/** When the server started to wait for the database for this document, or null. */
	since(docName: string): Date | null {
		return this.marked.get(docName) ?? null;
	}

	check(now = Date.now()): void {
		const { failingSince, oldestPendingAt } = this.committer;
		const stalled = oldestPendingAt !== null && now - oldestPendingAt >= this.options.stallMs;
		if (failingSince !== null || stalled) {
			const since = new Date(Math.min(failingSince ?? now, oldestPendingAt ?? now));
			for (const docName of this.committer.pendingDocs()) {
				if (this.marked.has(docName)) continue;
				this.marked.set(docName, since);
				this.options.publish(docName, since);
			}
		}
		for (const docName of this.marked.keys()) {
			if (this.committer.hasPending(docName)) continue;
			this.marked.delete(docName);
			this.options.publish(docName, null);
		}
	}

	stop(): void {
		clearInterval(this.timer);
	}
}
