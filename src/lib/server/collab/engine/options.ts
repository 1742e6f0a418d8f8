import type { IncomingMessage } from 'node:http';
import type { Capability } from './connection';
import type { EngineSettings } from './defaults';
import type { Peers } from './peers';
import type { Log } from './room';
import type { DocStore } from './store';

export type Authorization =
	{ ok: true; capability: Capability } | { ok: false; status: 401 | 403 | 404; reason: string };

export interface CollabOptions extends Partial<EngineSettings> {
	store: DocStore;
	/** Decides, once per connection and before any Yjs byte, who is asking for what. */
	authorize(request: IncomingMessage): Promise<Authorization>;
	log?: Log;
	/**
	 * Re-checks open connections (session still valid, still a member): a false closes that
	 * connection. Runs every `recheckEveryMs`, so revoked access ends within a few seconds.
	 */
	recheck?(capabilities: Capability[]): Promise<boolean[]>;
	/** Told after each update of a document is durable (projections refresh from it). */
	onCommit?(docName: string): void;
	/**
	 * The other instances sharing the database (Postgres LISTEN/NOTIFY): what they commit is
	 * applied to the documents this one holds. Without it, this process is the only one.
	 */
	peers?: Peers;
}
