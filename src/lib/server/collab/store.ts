import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { collabChange, collabSnapshot, collabUpdate } from '$lib/server/db/schema';
import type { TouchedPath } from './changes';

export interface StoredDocument {
	/** The compacted state, or null when the document was never compacted. */
	snapshot: Uint8Array | null;
	/** Updates logged after the snapshot, in order. */
	updates: { seq: number; update: Uint8Array }[];
	/** The highest sequence number used for this document (0 for a new one). */
	lastSeq: number;
	/** The highest sequence the snapshot covers (0 without a snapshot). */
	snapshotSeq: number;
}

export interface LogEntry {
	docName: string;
	seq: number;
	update: Uint8Array;
	/** null when the server itself wrote the change. */
	userId: string | null;
	at: Date;
	/** What the update touched (kept in `collab_change` after the log is compacted). */
	touched?: TouchedPath[];
}

/** Where documents live. The Postgres store is the real one; the memory twin serves unit tests. */
export interface DocStore {
	load(docName: string): Promise<StoredDocument>;
	/** Appends entries of any documents in one transaction: all are durable, or none. */
	append(entries: LogEntry[]): Promise<void>;
	/** Replaces the snapshot and drops the log up to `uptoSeq`, in one transaction. */
	compact(docName: string, state: Uint8Array, uptoSeq: number): Promise<void>;
}

export class PostgresDocStore implements DocStore {
	constructor(private readonly db: Db) {}

	async load(docName: string): Promise<StoredDocument> {
		return this.db.transaction(async (tx) => {
			const [snapshot] = await tx
				.select({ state: collabSnapshot.state, uptoSeq: collabSnapshot.uptoSeq })
				.from(collabSnapshot)
				.where(eq(collabSnapshot.docName, docName));
			const after = snapshot?.uptoSeq ?? 0;
			const updates = await tx
				.select({ seq: collabUpdate.seq, update: collabUpdate.update })
				.from(collabUpdate)
				.where(and(eq(collabUpdate.docName, docName), gt(collabUpdate.seq, after)))
				.orderBy(asc(collabUpdate.seq));
			return {
				snapshot: snapshot?.state ?? null,
				updates,
				lastSeq: updates.at(-1)?.seq ?? after,
				snapshotSeq: after
			};
			// One consistent view: a compaction committing between the two reads cannot drop log rows.
		}, { isolationLevel: 'repeatable read' });
	}

	async append(entries: LogEntry[]): Promise<void> {
		if (entries.length === 0) return;
		const changes = entries.flatMap((e) =>
			(e.touched ?? []).map((t) => ({ docName: e.docName, seq: e.seq, entry: t.entry, field: t.field, userId: e.userId, at: e.at }))
		);
		const updates = entries.map(({ docName, seq, update, userId, at }) => ({ docName, seq, update, userId, at }));
		if (changes.length === 0) {
			await this.db.insert(collabUpdate).values(updates);
			return;
		}
		await this.db.transaction(async (tx) => {
			await tx.insert(collabUpdate).values(updates);
			await tx.insert(collabChange).values(changes);
		});
	}

	async compact(docName: string, state: Uint8Array, uptoSeq: number): Promise<void> {
		await this.db.transaction(async (tx) => {
			await tx
				.insert(collabSnapshot)
				.values({ docName, state, uptoSeq, updatedAt: new Date() })
				.onConflictDoUpdate({
					target: collabSnapshot.docName,
					set: { state, uptoSeq, updatedAt: new Date() }
				});
			await tx
				.delete(collabUpdate)
				.where(and(eq(collabUpdate.docName, docName), lte(collabUpdate.seq, uptoSeq)));
		});
	}
}

/** The same contract in memory, with a switch to make it fail like a database that went away. */
export class MemoryDocStore implements DocStore {
	readonly log = new Map<string, LogEntry[]>();
	readonly snapshots = new Map<string, { state: Uint8Array; uptoSeq: number }>();
	failing = false;

	private check(): void {
		if (this.failing) throw new Error('memory store: unavailable');
	}

	async load(docName: string): Promise<StoredDocument> {
		this.check();
		const snapshot = this.snapshots.get(docName) ?? null;
		const after = snapshot?.uptoSeq ?? 0;
		const updates = (this.log.get(docName) ?? []).filter((e) => e.seq > after);
		return {
			snapshot: snapshot?.state ?? null,
			updates: updates.map(({ seq, update }) => ({ seq, update })),
			lastSeq: updates.at(-1)?.seq ?? after,
			snapshotSeq: after
		};
	}

	async append(entries: LogEntry[]): Promise<void> {
		this.check();
		for (const entry of entries) {
			const list = this.log.get(entry.docName) ?? [];
			if (list.some((e) => e.seq === entry.seq)) throw new Error('duplicate sequence');
			list.push(entry);
			this.log.set(entry.docName, list);
		}
	}

	async compact(docName: string, state: Uint8Array, uptoSeq: number): Promise<void> {
		this.check();
		this.snapshots.set(docName, { state, uptoSeq });
		this.log.set(docName, (this.log.get(docName) ?? []).filter((e) => e.seq > uptoSeq));
	}
}
