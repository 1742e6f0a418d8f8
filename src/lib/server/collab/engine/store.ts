import * as Y from 'yjs';
import type { TouchedPath } from './changes';
import type { Owner } from './update-guard';

/** Who first wrote a client id of a document (`collab_client`; `userId` null: the server). */
export interface StoredOwner {
	clientId: number;
	userId: Owner;
}

export interface StoredDocument {
	/** The compacted state, or null when the document was never compacted. */
	snapshot: Uint8Array | null;
	/** Which version of the snapshot this is (0 without one); see `DocStore.compact`. */
	snapshotVersion: number;
	/** Updates logged and not yet folded into the snapshot. */
	updates: { seq: number; update: Uint8Array }[];
	/** The owners of the document's client ids (see update-guard.ts). */
	owners: StoredOwner[];
}

export interface LogEntry {
	docName: string;
	/** Given by the store on append when absent (a number no other entry has). */
	seq?: number;
	update: Uint8Array;
	/** null when the server itself wrote the change. */
	userId: string | null;
	at: Date;
	/** What the update touched (kept in `collab_change` after the log is compacted). */
	touched?: TouchedPath[];
	/** Client ids this entry claims for `userId`, stored with it or not at all (first owner wins). */
	claims?: number[];
}

/** Updates another instance committed, as it announced them (`update` null: read it from the log). */
export interface Announced {
	docName: string;
	updates: { seq: number; update: Uint8Array | null }[];
}

/**
 * Where documents live. The Postgres store (postgres-store.ts) is the real one; the memory twin
 * (memory-store.ts) serves tests.
 */
export interface DocStore {
	load(docName: string): Promise<StoredDocument>;
	/**
	 * Appends entries of any documents in one transaction: all are durable, or none. Gives each
	 * entry without a `seq` its own; with announcements on, tells the other instances in the same
	 * transaction.
	 */
	append(entries: LogEntry[]): Promise<void>;
	/** The given log rows that are still in the log (the others were compacted into the snapshot). */
	fetch(docName: string, seqs: number[]): Promise<{ seq: number; update: Uint8Array }[]>;
	/** The stored owners of these client ids of a document (ids nobody claimed are absent). */
	owners(docName: string, clientIds: number[]): Promise<StoredOwner[]>;
	/**
	 * Folds `state` into the snapshot and drops the log rows it covers, in one transaction. If the
	 * snapshot is no longer `knownVersion` (another instance wrote it since), the stored one is
	 * merged in first, so nothing another instance compacted is lost. Returns the new version.
	 */
	compact(
		docName: string,
		state: Uint8Array,
		covered: number[],
		knownVersion: number
	): Promise<number>;
}

/** Both states in one: what either holds, with deleted content garbage-collected. */
export function mergeStates(a: Uint8Array, b: Uint8Array): Uint8Array {
	const doc = new Y.Doc({ gc: true });
	try {
		Y.transact(doc, () => {
			Y.applyUpdate(doc, a);
			Y.applyUpdate(doc, b);
		});
		return Y.encodeStateAsUpdate(doc);
	} finally {
		doc.destroy();
	}
}
