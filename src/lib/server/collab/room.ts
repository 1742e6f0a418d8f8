import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Connection } from './connection';
import type { StoredDocument } from './store';

/** The origin of changes the server writes itself (governance mirror, generated rota weeks). */
export const SYSTEM = Symbol('kring.collab.system');
export type ChangeOrigin = Connection | typeof SYSTEM;

/** The origin of updates another instance committed, applied here from its announcement. */
export const REMOTE = Symbol('kring.collab.remote');

/**
 * One live document in memory: its Y.Doc, its awareness and its connections, and which rows of its
 * update log its state holds (the next compaction folds those into the snapshot and drops them).
 */
export class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<Connection>();
	/** Log rows (by sequence number) this state holds that no compaction of ours has dropped yet. */
	readonly logged = new Set<number>();
	/** The version of the stored snapshot this state is known to include (0: none). */
	snapshotVersion: number;
	/** Which connection speaks for each awareness client id. */
	readonly awarenessOwners = new Map<number, Connection>();
	unloadTimer: ReturnType<typeof setTimeout> | null = null;
	/** Serialises compactions of this document. */
	compaction: Promise<void> = Promise.resolve();

	constructor(readonly name: string, stored: StoredDocument) {
		// The server's own awareness has no state: only connections are present.
		this.awareness.setLocalState(null);
		Y.transact(this.doc, () => {
			if (stored.snapshot !== null) Y.applyUpdate(this.doc, stored.snapshot);
			for (const { seq, update } of stored.updates) {
				Y.applyUpdate(this.doc, update);
				this.logged.add(seq);
			}
		});
		this.snapshotVersion = stored.snapshotVersion;
	}

	broadcast(message: Uint8Array, except: Connection | null = null): void {
		for (const connection of this.connections) {
			if (connection !== except) connection.send(message);
		}
	}

	destroy(): void {
		if (this.unloadTimer !== null) clearTimeout(this.unloadTimer);
		this.awareness.destroy();
		this.doc.destroy();
	}
}
