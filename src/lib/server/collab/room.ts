import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Connection } from './connection';

/** The origin of changes the server writes itself (governance mirror, generated rota weeks). */
export const SYSTEM = Symbol('kring.collab.system');
export type ChangeOrigin = Connection | typeof SYSTEM;

/**
 * One live document in memory: its Y.Doc, its awareness and its connections.
 * Sequence numbers of its update log are handed out here, in the order updates were applied.
 */
export class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<Connection>();
	/** Highest log sequence handed out. */
	lastSeq: number;
	/** Highest sequence known to be in the log. */
	committedSeq: number;
	/** Highest sequence included in the stored snapshot. */
	snapshotSeq: number;
	/** Which connection speaks for each awareness client id. */
	readonly awarenessOwners = new Map<number, Connection>();
	unloadTimer: ReturnType<typeof setTimeout> | null = null;
	/** Serialises compactions of this document. */
	compaction: Promise<void> = Promise.resolve();

	constructor(
		readonly name: string,
		stored: { snapshot: Uint8Array | null; updates: { update: Uint8Array }[]; lastSeq: number; snapshotSeq: number }
	) {
		// The server's own awareness has no state: only connections are present.
		this.awareness.setLocalState(null);
		Y.transact(this.doc, () => {
			if (stored.snapshot !== null) Y.applyUpdate(this.doc, stored.snapshot);
			for (const { update } of stored.updates) Y.applyUpdate(this.doc, update);
		});
		this.lastSeq = stored.lastSeq;
		this.committedSeq = stored.lastSeq;
		this.snapshotSeq = stored.snapshotSeq;
	}

	nextSeq(): number {
		return ++this.lastSeq;
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
