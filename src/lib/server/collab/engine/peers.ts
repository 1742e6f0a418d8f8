import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { ANNOUNCE_CHANNEL, readAnnouncement } from './postgres-store';
import type { Announced } from './store';

/** Presence travels on its own channel, straight from instance to instance (nothing is stored). */
const PRESENCE_CHANNEL = 'kring_presence';

export interface PeerHandlers {
	/** Updates another instance committed. */
	announced(docs: Announced[]): void;
	/** Presence (an awareness update) another instance's connections published for a document. */
	presence(docName: string, update: Uint8Array): void;
	/** Listening again after a break: announcements made meanwhile were missed. */
	reconnected(): void;
}

/** The other instances sharing one database, as seen by this one. */
export interface Peers {
	/** This instance's name in announcements (its own are not handed back to it). */
	readonly instance: string;
	start(handlers: PeerHandlers): void;
	/** Tells the other instances about presence on a document (best effort: presence is fleeting). */
	sharePresence(docName: string, update: Uint8Array): void;
	close(): Promise<void>;
}

/** A name for this process, unique enough among the instances of one deployment. */
export function instanceName(): string {
	return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Listens for the announcements other instances make with every commit (the store's NOTIFY), on a
 * connection of its own that postgres.js re-establishes after a break.
 */
export class PostgresPeers implements Peers {
	private readonly sql: postgres.Sql;
	private stopped = false;

	constructor(
		url: string,
		readonly instance: string = instanceName(),
		private readonly log: Pick<Console, 'info' | 'error'> = console
	) {
		this.sql = postgres(url, { max: 1, onnotice: () => {} });
	}

	start(handlers: PeerHandlers): void {
		this.sql
			.listen(
				ANNOUNCE_CHANNEL,
				(payload) => {
					const docs = readAnnouncement(payload, this.instance);
					if (docs !== null) handlers.announced(docs);
				},
				// On the first LISTEN and after every reconnect: whatever was announced before it is
				// missed, so the documents held here are read again (none, at start).
				() => handlers.reconnected()
			)
			.then(() =>
				this.sql.listen(PRESENCE_CHANNEL, (payload) => {
					const note = readPresence(payload, this.instance);
					if (note !== null) handlers.presence(note.docName, note.update);
				})
			)
			.catch((error: unknown) => {
				if (this.stopped) return;
				this.log.error('[collab] cannot listen to the other instances, retrying:', error);
				setTimeout(() => this.stopped || this.start(handlers), 2_000).unref();
			});
	}

	sharePresence(docName: string, update: Uint8Array): void {
		const note = JSON.stringify({
			i: this.instance,
			d: docName,
			u: Buffer.from(update).toString('base64')
		});
		this.sql.notify(PRESENCE_CHANNEL, note).catch(() => {}); // lost presence is renewed within 15 s
	}

	async close(): Promise<void> {
		this.stopped = true;
		await this.sql.end({ timeout: 2 });
	}
}

/** Reads a presence note; null for one this instance sent or one it cannot read. */
function readPresence(
	payload: string,
	self: string
): { docName: string; update: Uint8Array } | null {
	try {
		const note = JSON.parse(payload) as { i?: unknown; d?: unknown; u?: unknown };
		if (note.i === self || typeof note.d !== 'string' || typeof note.u !== 'string') return null;
		return { docName: note.d, update: new Uint8Array(Buffer.from(note.u, 'base64')) };
	} catch {
		return null;
	}
}
