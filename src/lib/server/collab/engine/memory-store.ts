import {
	mergeStates,
	type DocStore,
	type LogEntry,
	type StoredDocument,
	type StoredOwner
} from './store';
import type { Owner } from './update-guard';

/** The same contract in memory, with a switch to make it fail like a database that went away. */
export class MemoryDocStore implements DocStore {
	readonly log = new Map<string, LogEntry[]>();
	readonly snapshots = new Map<string, { state: Uint8Array; version: number }>();
	/** The owners of client ids, per document (`collab_client`). */
	readonly clients = new Map<string, Map<number, Owner>>();
	failing = false;
	private nextSeq = 1;

	private check(): void {
		if (this.failing) throw new Error('memory store: unavailable');
	}

	async load(docName: string): Promise<StoredDocument> {
		this.check();
		const snapshot = this.snapshots.get(docName) ?? null;
		return {
			snapshot: snapshot?.state ?? null,
			snapshotVersion: snapshot?.version ?? 0,
			updates: (this.log.get(docName) ?? []).map(({ seq, update }) => ({ seq: seq!, update })),
			owners: [...(this.clients.get(docName) ?? [])].map(([clientId, userId]) => ({
				clientId,
				userId
			}))
		};
	}

	async append(entries: LogEntry[]): Promise<void> {
		this.check();
		for (const entry of entries) {
			entry.seq ??= this.nextSeq++;
			this.nextSeq = Math.max(this.nextSeq, entry.seq + 1);
			const list = this.log.get(entry.docName) ?? [];
			if (list.some((e) => e.seq === entry.seq)) throw new Error('duplicate sequence');
			list.push(entry);
			this.log.set(entry.docName, list);
			const owners = this.clients.get(entry.docName) ?? new Map<number, Owner>();
			for (const id of entry.claims ?? []) if (!owners.has(id)) owners.set(id, entry.userId);
			this.clients.set(entry.docName, owners);
		}
	}

	async owners(docName: string, clientIds: number[]): Promise<StoredOwner[]> {
		this.check();
		const owners = this.clients.get(docName);
		return clientIds.flatMap((clientId) =>
			owners?.has(clientId) ? [{ clientId, userId: owners.get(clientId)! }] : []
		);
	}

	async fetch(docName: string, seqs: number[]): Promise<{ seq: number; update: Uint8Array }[]> {
		this.check();
		const wanted = new Set(seqs);
		return (this.log.get(docName) ?? [])
			.filter((e) => wanted.has(e.seq!))
			.map(({ seq, update }) => ({ seq: seq!, update }));
	}

	async compact(
		docName: string,
		state: Uint8Array,
		covered: number[],
		knownVersion: number
	): Promise<number> {
		this.check();
		const stored = this.snapshots.get(docName);
		const merged =
			stored === undefined || stored.version === knownVersion
				? state
				: mergeStates(stored.state, state);
		const version = this.nextSeq++;
		this.snapshots.set(docName, { state: merged, version });
		const gone = new Set(covered);
		this.log.set(
			docName,
			(this.log.get(docName) ?? []).filter((e) => !gone.has(e.seq!))
		);
		return version;
	}
}
