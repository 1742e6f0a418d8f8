import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { ANNOUNCE_CHANNEL, readAnnouncement, type Announced } from './store';

export interface PeerHandlers {
	/** Updates another instance committed. */
	announced(docs: Announced[]): void;
	/** Listening again after a break: announcements made meanwhile were missed. */
	reconnected(): void;
}

/** The other instances sharing one database, as seen by this one. */
export interface Peers {
	/** This instance's name in announcements (its own are not handed back to it). */
	readonly instance: string;
	start(handlers: PeerHandlers): void;
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
			.catch((error: unknown) => {
				if (this.stopped) return;
				this.log.error('[collab] cannot listen to the other instances, retrying:', error);
				setTimeout(() => this.stopped || this.start(handlers), 2_000).unref();
			});
	}

	async close(): Promise<void> {
		this.stopped = true;
		await this.sql.end({ timeout: 2 });
	}
}
