import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import * as Y from 'yjs';
import { Committer } from './engine/committer';
import { closeAll, colourFor, Connection, recheckAll, refuseUpgrade } from './engine/connection';
import type { Authorization, CollabOptions } from './engine/options';
import { FAIR_LANE, settingsFrom, type EngineSettings } from './engine/defaults';
import { boundedLog } from './engine/bounded-log';
import { noStats, Room, type EngineStats, type RoomHost } from './engine/room';
import { Slots } from './engine/slots';
import { FairLane } from './engine/fair-lane';
import { StorageStatus } from './engine/storage-status';

export type { Authorization, CollabOptions };

export const COLLAB_PATH = '/collab/';

/**
 * The live board server: takes the WebSocket upgrades (access decided once, here) and keeps the
 * registry of open documents, one Room each (engine/room.ts), which does the rest.
 */
export class CollabServer {
	readonly stats: EngineStats = noStats();
	private readonly settings: EngineSettings;
	private readonly log: ReturnType<typeof boundedLog>;
	private readonly committer: Committer;
	/** Which documents wait for the database; their boards are told through the server's awareness. */
	private readonly storage: StorageStatus;
	private readonly host: RoomHost;
	private readonly wss: WebSocketServer;
	private readonly rooms = new Map<string, Promise<Room>>();
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly connections = new Set<Connection>();
	private readonly recheckTimer: ReturnType<typeof setInterval> | null = null;
	private closing = false;

	constructor(private readonly options: CollabOptions) {
		const settings = (this.settings = settingsFrom(options));
		const log = (this.log = boundedLog(options.log ?? console));
		this.wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxMessageBytes });
		this.committer = new Committer(options.store, {
			windowMs: settings.commitWindowMs,
			maxInFlight: settings.commitsInFlight,
			retryMs: settings.commitRetryMs,
			maxRetryMs: settings.commitMaxRetryMs,
			onError: (error, attempt) =>
				log.error(`[collab] commit failed (attempt ${attempt}), retrying:`, error),
			onIsolated: (docName, error) =>
				log.error(`[collab] the store refused an update of ${docName}, isolated:`, error)
		});
		// One way: the committer tells the storage status, which tells the document's room.
		this.storage = new StorageStatus(this.committer, {
			stallMs: settings.storageStallMs,
			everyMs: settings.storageCheckEveryMs,
			publish: (docName, since) => {
				if (since !== null)
					log.warn(`[collab] ${docName} waits for the database since ${since.toISOString()}`);
				else log.info(`[collab] ${docName} is saved again`);
				void this.held(docName).then((room) => room?.showStorage(since));
			}
		});
		this.host = {
			store: options.store,
			committer: this.committer,
			lane: new FairLane<Connection>(
				{
					perSecond: settings.fairMessagesPerSecond,
					burst: settings.fairMessagesPerSecond * 2,
					...FAIR_LANE
				},
				(error) => log.error('[collab] handling a queued message failed:', error)
			),
			compactions: new Slots(settings.compactionsAtOnce),
			settings,
			stats: this.stats,
			log,
			peers: options.peers ?? null,
			isClosing: () => this.closing,
			committed: (docName) => this.notifyCommit(docName),
			idle: (room) => {
				this.rooms.delete(room.name);
				const done = room.unload().finally(() => this.unloading.delete(room.name));
				this.unloading.set(room.name, done);
			}
		};
		options.peers?.start({
			announced: (docs) => {
				for (const { docName, updates } of docs)
					void this.held(docName).then((room) => room?.applyAnnounced(updates));
			},
			presence: (docName, update) =>
				void this.held(docName).then((room) => room?.applyPresence(update)),
			// Announcements sent while we were not listening are lost: read every held document again.
			reconnected: () => {
				for (const name of this.rooms.keys()) void this.held(name).then((room) => room?.catchUp());
			}
		});
		if (options.recheck !== undefined) {
			this.recheckTimer = setInterval(() => void this.recheck(), settings.recheckEveryMs);
			this.recheckTimer.unref();
		}
	}

	/** Closes the connections whose user lost access (logged out, left the team, session expired). */
	async recheck(): Promise<void> {
		if (this.options.recheck === undefined) return;
		await recheckAll([...this.connections], this.options.recheck, this.log);
	}

	/** Whether an HTTP upgrade request is for the collab server. */
	static handles(request: IncomingMessage): boolean {
		return (request.url ?? '').startsWith(COLLAB_PATH);
	}

	/** Takes an HTTP upgrade: refuses it with a plain HTTP status, or opens the document. */
	async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		socket.on('error', () => socket.destroy());
		if (this.closing) return refuseUpgrade(socket, 503, 'shutting down');
		let authorization: Authorization;
		try {
			authorization = await this.options.authorize(request);
		} catch (error) {
			this.log.error('[collab] authorisation failed:', error);
			return refuseUpgrade(socket, 503, 'unavailable');
		}
		if (!authorization.ok) return refuseUpgrade(socket, authorization.status, authorization.reason);
		// Each await may span a shutdown: a socket left unanswered then would hold the HTTP server
		// open for ever (an upgrading socket is no HTTP connection `closeAllConnections` ends).
		if (this.closing) return refuseUpgrade(socket, 503, 'shutting down');
		const { capability } = authorization;

		let room: Room;
		try {
			room = await this.openRoom(capability.docName);
		} catch (error) {
			// Never serve (and later save) an empty document in place of one that failed to load.
			this.log.error(`[collab] loading ${capability.docName} failed:`, error);
			return refuseUpgrade(socket, 503, 'document unavailable');
		}
		// Shutting down, or the client went away while we checked and loaded: let the document go.
		if (socket.destroyed || this.closing) {
			room.letGo();
			return refuseUpgrade(socket, 503, 'shutting down');
		}
		room.keepLoaded();
		this.wss.handleUpgrade(request, socket, head, (ws) => {
			const connection = new Connection(
				ws,
				capability,
				colourFor(capability.userId),
				this.settings.maxBacklogBytes
			);
			this.connections.add(connection);
			ws.on('close', () => this.connections.delete(connection));
			room.join(connection);
		});
	}

	/**
	 * Applies a change written by the server itself (attributed to no user), persisted and relayed
	 * like any other update. Resolves once it is durable.
	 */
	change(docName: string, mutate: (doc: Y.Doc) => void): Promise<void> {
		return this.withRoom(docName, (room) => room.change(mutate));
	}

	/** The document's current state as stored and served (for tests, projections and export). */
	snapshot(docName: string): Promise<Uint8Array> {
		return this.withRoom(docName, (room) => Y.encodeStateAsUpdate(room.doc));
	}

	/** Reads the document as stored and served, without keeping it in memory longer than usual. */
	read<T>(docName: string, reader: (doc: Y.Doc) => T): Promise<T> {
		return this.withRoom(docName, (room) => reader(room.doc));
	}

	/**
	 * A change that must leave no trace of what it removes (GDPR erasure): applied like `change`,
	 * then the document is compacted at once, so the log rows that carried the removed content are
	 * dropped and the snapshot is rewritten from the garbage-collected state.
	 */
	erase(docName: string, mutate: (doc: Y.Doc) => void): Promise<void> {
		return this.withRoom(docName, (room) => room.erase(mutate));
	}

	get openDocuments(): number {
		return this.rooms.size;
	}

	/** Sizes of what the server holds, for tests and monitoring: all 0 once everyone left and it unloaded. */
	sizes(): Record<
		| 'rooms'
		| 'unloading'
		| 'sockets'
		| 'connections'
		| 'pendingDocs'
		| 'pendingBytes'
		| 'unavailableDocs',
		number
	> {
		return {
			rooms: this.rooms.size,
			unloading: this.unloading.size,
			sockets: this.connections.size, // one socket per connection
			connections: this.connections.size,
			pendingDocs: [...this.committer.pendingDocs()].length,
			pendingBytes: this.committer.pendingBytes,
			unavailableDocs: this.storage.unavailable
		};
	}

	/** Graceful stop: refuse new connections, close open ones, write every pending update, compact. */
	async close(): Promise<void> {
		this.closing = true;
		if (this.recheckTimer !== null) clearInterval(this.recheckTimer);
		this.storage.stop();
		await closeAll([...this.connections], this.settings.closeWaitMs);
		await this.committer.stop();
		await this.options.peers?.close();
		const rooms = await Promise.allSettled([...this.rooms.values()]);
		for (const result of rooms) if (result.status === 'fulfilled') await result.value.close();
		this.rooms.clear();
		for (const { socket } of this.connections) socket.terminate();
		this.wss.close();
		this.log.flush();
	}

	private notifyCommit(docName: string): void {
		try {
			this.options.onCommit?.(docName);
		} catch (error) {
			this.log.error(`[collab] commit listener failed for ${docName}:`, error);
		}
	}

	private async withRoom<T>(docName: string, use: (room: Room) => T | Promise<T>): Promise<T> {
		const room = await this.openRoom(docName);
		try {
			return await use(room);
		} finally {
			room.letGo();
		}
	}

	/** The room of a document held here, or null (not held, or failed to load). */
	private async held(docName: string): Promise<Room | null> {
		return (await this.rooms.get(docName)?.catch(() => null)) ?? null;
	}

	private async openRoom(name: string): Promise<Room> {
		await this.unloading.get(name);
		let pending = this.rooms.get(name);
		if (pending === undefined) {
			pending = this.options.store.load(name).then((stored) => new Room(name, stored, this.host));
			this.rooms.set(name, pending);
			pending.catch(() => this.rooms.delete(name));
		}
		return pending;
	}
}
