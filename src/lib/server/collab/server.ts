import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as decoding from 'lib0/decoding';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { SERVER_KEY, storageUnavailableState } from '$lib/collab/server-presence';
import { touchedPaths, type TouchedPath } from './changes';
import { Committer } from './committer';
import { colourFor, Connection, MAX_BACKLOG, type Capability } from './connection';
import { MAX_PENDING_BYTES, passesCap } from './pending-cap';
import { PresenceFanout } from './presence-fanout';
import { Slots } from './slots';
import { StorageStatus } from './storage-status';
import {
	CLOSE,
	decodeAwarenessUpdate,
	encodeAwarenessMessage,
	encodeAwarenessUpdate,
	encodeSyncMessage,
	messageAuth,
	messageAwareness,
	messageQueryAwareness,
	messageSync,
	syncStep1,
	syncStep2,
	syncUpdate
} from './protocol';
import type { Peers } from './peers';
import { REMOTE, Room, SYSTEM } from './room';
import type { Announced, DocStore, LogEntry } from './store';

export type Authorization =
	| { ok: true; capability: Capability }
	| { ok: false; status: 401 | 403 | 404; reason: string };

export interface CollabOptions {
	store: DocStore;
	/** Decides, once per connection and before any Yjs byte, who is asking for what. */
	authorize(request: IncomingMessage): Promise<Authorization>;
	/**
	 * How long an update waits for others before a commit starts (default 0: at once; what arrives
	 * during a commit goes together in the next one).
	 */
	commitWindowMs?: number;
	/** How many group commits may run at once (default 4, by measurement; see Committer). */
	commitsInFlight?: number;
	/**
	 * For the benchmark only, never in the app: relay each update before it is saved, as the peers
	 * do, to measure what saving first costs. Breaks the promise that what anyone saw is stored.
	 */
	unsafeRelayBeforeCommit?: boolean;
	unloadGraceMs?: number;
	compactThreshold?: number;
	maxMessageBytes?: number;
	/** Presence changes of a room go out together, once per this window (default 50 ms). */
	presenceWindowMs?: number;
	/** Unsaved bytes held while the database is away before writers are refused (see pending-cap.ts). */
	maxPendingBytes?: number;
	/** Updates unsaved for this long mark their documents unavailable, as a failed commit does (default 2 s). */
	storageStallMs?: number;
	/** Bytes queued to a client that does not read before it is dropped (default 8 MiB). */
	maxBacklogBytes?: number;
	log?: Pick<Console, 'info' | 'warn' | 'error'>;
	/**
	 * Re-checks open connections (session still valid, still a member): a false closes that
	 * connection. Runs every `recheckEveryMs`, so revoked access ends within a few seconds.
	 */
	recheck?(capabilities: Capability[]): Promise<boolean[]>;
	recheckEveryMs?: number;
	/** Told after each update of a document is durable (projections refresh from it). */
	onCommit?(docName: string): void;
	/**
	 * The other instances sharing the database (Postgres LISTEN/NOTIFY): what they commit is
	 * applied to the documents this one holds. Without it, this process is the only one.
	 */
	peers?: Peers;
}

export const COLLAB_PATH = '/collab/';
const MiB = 1024 * 1024;
/**
 * An update taking more CPU time than this on a scratch document is refused. CPU time, not wall
 * time: on a loaded machine a valid update can wait far longer than this for the processor.
 */
const APPLY_DEADLINE_MS = 250;
/** Presence shared with other instances per NOTIFY at most (base64 must stay under 8,000 bytes). */
const PRESENCE_NOTE_BYTES = 5_500;
/** How long close() waits for clients to finish the closing handshake. */
const CLOSE_WAIT_MS = 2_000;

/**
 * The live board server: y-websocket protocol over `ws`, one Room per open document, every
 * update durable in the update log before anyone else sees it.
 */
export class CollabServer {
	readonly stats = {
		droppedWrites: 0,
		refusedUpdates: 0,
		protocolErrors: 0,
		throttled: 0,
		/** Writes refused because the unsaved bytes reached `maxPendingBytes`. */
		refusedWhileUnsaved: 0,
		/** Connections dropped for not reading what they were sent. */
		slowConsumers: 0
	};
	/** Which documents wait for the database; their boards are told through the server's awareness. */
	private readonly storage: StorageStatus;
	private readonly wss: WebSocketServer;
	private readonly committer: Committer;
	/** Compactions running at once, whatever the number of documents wanting one. */
	private readonly compactions = new Slots(2);
	private readonly rooms = new Map<string, Promise<Room>>();
	private readonly unloading = new Map<string, Promise<void>>();
	private readonly sockets = new Set<WebSocket>();
	private readonly log: Pick<Console, 'info' | 'warn' | 'error'>;
	private readonly unloadGraceMs: number;
	private readonly compactThreshold: number;
	private closing = false;
	private readonly live = new Set<Connection>();
	private readonly recheckTimer: ReturnType<typeof setInterval> | null = null;

	constructor(private readonly options: CollabOptions) {
		this.log = options.log ?? console;
		this.unloadGraceMs = options.unloadGraceMs ?? 10_000;
		this.compactThreshold = options.compactThreshold ?? 500;
		// ws accepts 100 MiB messages by default; a larger one closes the connection with 1009.
		this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? MiB });
		this.committer = new Committer(options.store, {
			windowMs: options.commitWindowMs ?? 0,
			maxInFlight: options.commitsInFlight ?? 4,
			retryMs: 50,
			maxRetryMs: 2_000,
			onError: (error, attempt) =>
				this.log.error(`[collab] commit failed (attempt ${attempt}), retrying:`, error),
			onProgress: () => this.storage.check()
		});
		options.peers?.start({
			announced: (docs) => {
				for (const doc of docs) void this.applyAnnounced(doc);
			},
			presence: (docName, update) => void this.applyPresence(docName, update),
			// Announcements sent while we were not listening are lost: read every held document again.
			reconnected: () => {
				for (const name of this.rooms.keys()) void this.catchUp(name);
			}
		});
		if (options.recheck !== undefined) {
			this.recheckTimer = setInterval(() => void this.recheck(), options.recheckEveryMs ?? 3_000);
			this.recheckTimer.unref();
		}
		this.storage = new StorageStatus(this.committer, {
			stallMs: options.storageStallMs ?? 2_000,
			everyMs: 250,
			publish: (docName, since) => this.publishStorage(docName, since)
		});
	}

	/** Closes the connections whose user lost access (logged out, left the team, session expired). */
	async recheck(): Promise<void> {
		const connections = [...this.live];
		if (connections.length === 0 || this.options.recheck === undefined) return;
		let verdicts: boolean[];
		try {
			verdicts = await this.options.recheck(connections.map((c) => c.capability));
		} catch (error) {
			this.log.error('[collab] access re-check failed:', error);
			return;
		}
		connections.forEach((connection, i) => {
			if (verdicts[i] === false) {
				const { userId, docName } = connection.capability;
				this.log.info(`[collab] access of ${userId} to ${docName} ended: closing`);
				connection.socket.close(CLOSE.policyViolation, 'access revoked');
			}
		});
	}

	/** Whether an HTTP upgrade request is for the collab server. */
	static handles(request: IncomingMessage): boolean {
		return (request.url ?? '').startsWith(COLLAB_PATH);
	}

	/** Takes an HTTP upgrade: refuses it with a plain HTTP status, or opens the document. */
	async handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
		socket.on('error', () => socket.destroy());
		if (this.closing) return refuse(socket, 503, 'shutting down');
		let authorization: Authorization;
		try {
			authorization = await this.options.authorize(request);
		} catch (error) {
			this.log.error('[collab] authorisation failed:', error);
			return refuse(socket, 503, 'unavailable');
		}
		if (!authorization.ok) return refuse(socket, authorization.status, authorization.reason);
		const { capability } = authorization;

		let room: Room;
		try {
			room = await this.openRoom(capability.docName);
		} catch (error) {
			// Never serve (and later save) an empty document in place of one that failed to load.
			this.log.error(`[collab] loading ${capability.docName} failed:`, error);
			return refuse(socket, 503, 'document unavailable');
		}
		if (socket.destroyed || this.closing) {
			// The client went away while we checked and loaded: let the document go again.
			if (room.connections.size === 0) this.scheduleUnload(room);
			return;
		}
		this.keepLoaded(room);
		this.wss.handleUpgrade(request, socket, head, (ws) => this.join(ws, room, capability));
	}

	/**
	 * Applies a change written by the server itself (attributed to no user), persisted and relayed
	 * like any other update. Resolves once it is durable.
	 */
	async change(docName: string, mutate: (doc: Y.Doc) => void): Promise<void> {
		const room = await this.openRoom(docName);
		Y.transact(room.doc, () => mutate(room.doc), SYSTEM);
		await this.committer.idle(docName);
		if (room.connections.size === 0) this.scheduleUnload(room);
	}

	/** The document's current state as stored and served (for tests, projections and export). */
	async snapshot(docName: string): Promise<Uint8Array> {
		const room = await this.openRoom(docName);
		const state = Y.encodeStateAsUpdate(room.doc);
		if (room.connections.size === 0) this.scheduleUnload(room);
		return state;
	}

	/** Reads the document as stored and served, without keeping it in memory longer than usual. */
	async read<T>(docName: string, reader: (doc: Y.Doc) => T): Promise<T> {
		const room = await this.openRoom(docName);
		try {
			return reader(room.doc);
		} finally {
			if (room.connections.size === 0) this.scheduleUnload(room);
		}
	}

	/**
	 * A change that must leave no trace of what it removes (GDPR erasure): applied like `change`,
	 * then the document is compacted at once, so the log rows that carried the removed content are
	 * dropped and the snapshot is rewritten from the garbage-collected state.
	 */
	async erase(docName: string, mutate: (doc: Y.Doc) => void): Promise<void> {
		const room = await this.openRoom(docName);
		if (!room.doc.gc) throw new Error('erasure needs garbage collection on the document');
		Y.transact(room.doc, () => mutate(room.doc), SYSTEM);
		await this.committer.idle(docName);
		room.compaction = room.compaction.catch(() => {}).then(() => this.compact(room));
		await room.compaction;
		if (room.connections.size === 0) this.scheduleUnload(room);
	}

	private notifyCommit(docName: string): void {
		if (this.options.onCommit === undefined) return;
		try {
			this.options.onCommit(docName);
		} catch (error) {
			this.log.error(`[collab] commit listener failed for ${docName}:`, error);
		}
	}

	get openDocuments(): number {
		return this.rooms.size;
	}

	/** Sizes of what the server holds, for tests and monitoring: all 0 once everyone left and it unloaded. */
	sizes(): Record<'rooms' | 'unloading' | 'sockets' | 'connections' | 'pendingDocs' | 'pendingBytes' | 'unavailableDocs', number> {
		return {
			rooms: this.rooms.size,
			unloading: this.unloading.size,
			sockets: this.sockets.size,
			connections: this.live.size,
			pendingDocs: [...this.committer.pendingDocs()].length,
			pendingBytes: this.committer.pendingBytes,
			unavailableDocs: this.storage.unavailable
		};
	}

	/** The server's own awareness state says whether the document waits for the database. */
	private publishStorage(docName: string, since: Date | null): void {
		if (since !== null) this.log.warn(`[collab] ${docName} waits for the database since ${since.toISOString()}`);
		else this.log.info(`[collab] ${docName} is saved again`);
		void this.rooms.get(docName)?.then(
			(room) => room.awareness.setLocalState(since === null ? null : storageUnavailableState(since)),
			() => {}
		);
	}

	/** Graceful stop: refuse new connections, close open ones, write every pending update, compact. */
	async close(): Promise<void> {
		this.closing = true;
		if (this.recheckTimer !== null) clearInterval(this.recheckTimer);
		this.storage.stop();
		// Messages a client sent before our close frame still arrive: wait (boundedly) for its closing
		// handshake, so they are applied before the last flush rather than after it, into nothing.
		const closed = [...this.sockets].map(
			(ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve())))
		);
		for (const ws of this.sockets) ws.close(CLOSE.goingAway, 'server restarting');
		let timer: ReturnType<typeof setTimeout> | undefined;
		await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_WAIT_MS)))]);
		clearTimeout(timer);
		for (const ws of this.sockets) ws.terminate();
		await this.committer.stop();
		await this.options.peers?.close();
		const rooms = await Promise.allSettled([...this.rooms.values()]);
		for (const result of rooms) {
			if (result.status !== 'fulfilled') continue;
			const room = result.value;
			try {
				await this.compact(room);
			} catch (error) {
				this.log.error(`[collab] compaction of ${room.name} at shutdown failed:`, error);
			}
			room.destroy();
		}
		this.rooms.clear();
		for (const ws of this.sockets) ws.terminate();
		this.wss.close();
	}

	private async openRoom(name: string): Promise<Room> {
		await this.unloading.get(name);
		let pending = this.rooms.get(name);
		if (pending === undefined) {
			pending = this.loadRoom(name);
			this.rooms.set(name, pending);
			pending.catch(() => this.rooms.delete(name));
		}
		return pending;
	}

	private async loadRoom(name: string): Promise<Room> {
		const stored = await this.options.store.load(name);
		const room = new Room(name, stored);
		room.doc.on('update', (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => {
			// Another instance's update is durable already: relay it at once, do not log it again.
			if (origin === REMOTE) room.broadcast(encodeSyncMessage(syncUpdate, update));
			else this.persist(room, update, origin, touchedPaths(doc, transaction));
		});
		const windowMs = this.options.presenceWindowMs ?? 50;
		const presence = new PresenceFanout(room.awareness, (m) => room.broadcast(m), windowMs);
		// Presence of this instance's connections goes to the other instances too, batched the same
		// way; what comes from them (REMOTE) and the server's own state ('local') stays here.
		const peers = this.options.peers;
		const toPeers =
			peers === undefined
				? null
				: new PresenceFanout(room.awareness, (_m, ids) => this.sharePresence(peers, room, ids), windowMs);
		room.awareness.on(
			'update',
			(
				{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
				origin: unknown
			) => {
				const changed = added.concat(updated, removed);
				if (changed.length === 0) return;
				presence.add(changed);
				if (origin !== REMOTE && origin !== 'local') toPeers?.add(changed);
			}
		);
		return room;
	}

	/** Logs an applied update, then relays it to everyone else once it is durable. */
	private persist(room: Room, update: Uint8Array, origin: unknown, touched: TouchedPath[]): void {
		const from = origin instanceof Connection ? origin : null;
		const entry: LogEntry = {
			docName: room.name,
			update,
			userId: from?.capability.userId ?? null,
			at: new Date(),
			touched
		};
		if (from === null && origin !== SYSTEM) {
			this.log.warn(`[collab] update of ${room.name} with an unknown origin, saved as the system's`);
		}
		const relayFirst = this.options.unsafeRelayBeforeCommit === true;
		if (relayFirst) room.broadcast(encodeSyncMessage(syncUpdate, update), from);
		void this.committer.submit(entry).then(() => {
			room.logged.add(entry.seq!);
			if (!relayFirst) room.broadcast(encodeSyncMessage(syncUpdate, update), from);
			this.notifyCommit(room.name);
			if (room.logged.size >= this.compactThreshold) {
				room.compaction = room.compaction
					.then(() => this.compact(room))
					.catch((error: unknown) => this.log.error(`[collab] compaction of ${room.name} failed:`, error));
			}
		});
	}

	/**
	 * Writes the document's state into its snapshot and drops the log rows that state holds, in one
	 * transaction. Rows another instance logged that have not reached us stay in the log.
	 */
	private async compact(room: Room): Promise<void> {
		await this.committer.idle(room.name);
		if (room.logged.size === 0) return;
		const covered = [...room.logged];
		// The state may already hold updates still being committed: replaying them from the log on
		// load is harmless, Yjs updates are idempotent.
		room.snapshotVersion = await this.compactions.run(() =>
			this.options.store.compact(room.name, Y.encodeStateAsUpdate(room.doc), covered, room.snapshotVersion)
		);
		for (const seq of covered) room.logged.delete(seq);
	}

	/** Announces presence to the other instances, in pieces small enough for NOTIFY. */
	private sharePresence(peers: Peers, room: Room, ids: number[]): void {
		const update = awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids);
		if (update.byteLength <= PRESENCE_NOTE_BYTES || ids.length === 1) {
			if (update.byteLength <= PRESENCE_NOTE_BYTES) peers.sharePresence(room.name, update);
			return; // one person's presence too large to share: it stays on this instance
		}
		const half = Math.ceil(ids.length / 2);
		this.sharePresence(peers, room, ids.slice(0, half));
		this.sharePresence(peers, room, ids.slice(half));
	}

	/** Presence another instance's connections published, for the document's boards here. */
	private async applyPresence(docName: string, update: Uint8Array): Promise<void> {
		const room = await this.rooms.get(docName)?.catch(() => null);
		if (room === undefined || room === null) return;
		try {
			awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE);
		} catch (error) {
			this.log.warn(`[collab] unreadable presence from another instance for ${docName}:`, error);
		}
	}

	/** Applies what another instance committed to a document held here, and relays it. */
	private async applyAnnounced(announced: Announced): Promise<void> {
		const pending = this.rooms.get(announced.docName);
		if (pending === undefined) return; // not held here: a later load reads it from the log
		try {
			const room = await pending;
			const fresh = announced.updates.filter((u) => !room.logged.has(u.seq));
			if (fresh.length === 0) return;
			const inline = fresh.filter((u) => u.update !== null) as { seq: number; update: Uint8Array }[];
			const wanted = fresh.filter((u) => u.update === null).map((u) => u.seq);
			const fetched = await this.options.store.fetch(room.name, wanted);
			if (fetched.length < wanted.length) return await this.catchUp(room.name); // compacted meanwhile
			this.applyRemote(room, [...inline, ...fetched]);
		} catch (error) {
			this.log.error(`[collab] applying another instance's update to ${announced.docName} failed:`, error);
			await this.catchUp(announced.docName).catch(() => {});
		}
	}

	/** Reads a held document from the store again and applies whatever this instance lacks. */
	private async catchUp(name: string): Promise<void> {
		const pending = this.rooms.get(name);
		if (pending === undefined) return;
		try {
			const room = await pending;
			const stored = await this.options.store.load(name);
			if (stored.snapshot !== null) {
				Y.applyUpdate(room.doc, stored.snapshot, REMOTE);
				room.snapshotVersion = stored.snapshotVersion; // the state now holds that snapshot
			}
			this.applyRemote(room, stored.updates);
		} catch (error) {
			this.log.error(`[collab] catching up with ${name} failed:`, error);
		}
	}

	private applyRemote(room: Room, updates: { seq: number; update: Uint8Array }[]): void {
		if (updates.length === 0) return;
		Y.transact(room.doc, () => {
			for (const { seq, update } of updates) {
				Y.applyUpdate(room.doc, update, REMOTE);
				room.logged.add(seq);
			}
		}, REMOTE);
	}

	private keepLoaded(room: Room): void {
		if (room.unloadTimer !== null) {
			clearTimeout(room.unloadTimer);
			room.unloadTimer = null;
		}
	}

	private scheduleUnload(room: Room): void {
		if (room.unloadTimer !== null || this.closing) return;
		room.unloadTimer = setTimeout(() => {
			room.unloadTimer = null;
			if (room.connections.size > 0) return;
			this.rooms.delete(room.name);
			const done = (async () => {
				for (let attempt = 1; ; attempt++) {
					try {
						await room.compaction;
						await this.compact(room);
						break;
					} catch (error) {
						this.log.error(`[collab] unloading ${room.name}: compaction failed (attempt ${attempt}):`, error);
						await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000)));
					}
				}
				room.destroy();
			})();
			this.unloading.set(
				room.name,
				done.finally(() => this.unloading.delete(room.name))
			);
		}, this.unloadGraceMs);
	}

	private join(ws: WebSocket, room: Room, capability: Capability): void {
		const connection = new Connection(ws, capability, colourFor(capability.userId), this.options.maxBacklogBytes ?? MAX_BACKLOG);
		this.sockets.add(ws);
		this.live.add(connection);
		room.connections.add(connection);
		this.keepLoaded(room);
		ws.binaryType = 'nodebuffer';

		ws.on('message', (data: RawData, isBinary: boolean) => {
			if (!isBinary) return this.fail(connection, 'text frame');
			if (!connection.allowMessage()) {
				this.stats.throttled++;
				this.log.warn(`[collab] ${capability.userId} floods ${capability.docName}: closing`);
				ws.close(CLOSE.policyViolation, 'too many messages');
				return;
			}
			const bytes = data instanceof Buffer ? data : Buffer.concat(data as Buffer[]);
			this.receive(connection, room, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
		});
		ws.on('close', (code: number) => {
			if (code === CLOSE.tooBig) {
				this.log.warn(`[collab] ${capability.userId} sent an oversized message to ${capability.docName}`);
			}
			if (connection.tooSlow) {
				this.stats.slowConsumers++;
				this.log.warn(`[collab] ${capability.userId} does not read ${capability.docName}: dropped`);
			}
			this.sockets.delete(ws);
			this.live.delete(connection);
			room.connections.delete(connection);
			const mine = [...connection.clientIds];
			for (const id of mine) room.awarenessOwners.delete(id);
			awarenessProtocol.removeAwarenessStates(room.awareness, mine, null);
			if (room.connections.size === 0) this.scheduleUnload(room);
		});
		ws.on('error', (error) => this.log.warn(`[collab] socket error (${capability.userId}):`, error.message));

		// Server speaks first with its state vector (sync step 1) and the current presence.
		connection.send(encodeSyncMessage(syncStep1, Y.encodeStateVector(room.doc)));
		const present = [...room.awareness.getStates().keys()];
		if (present.length > 0) {
			connection.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, present)));
		}
	}

	private receive(connection: Connection, room: Room, message: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case messageSync:
					return this.receiveSync(connection, room, decoder);
				case messageAwareness:
					return this.receiveAwareness(connection, room, decoding.readVarUint8Array(decoder));
				case messageQueryAwareness: {
					const ids = [...room.awareness.getStates().keys()];
					connection.send(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(room.awareness, ids)));
					return;
				}
				case messageAuth:
					return; // permissions are decided at upgrade, not by the client
				default:
					throw new Error(`unknown message type ${type}`);
			}
		} catch (error) {
			this.fail(connection, error instanceof Error ? error.message : String(error));
		}
	}

	private receiveSync(connection: Connection, room: Room, decoder: decoding.Decoder): void {
		const kind = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (kind === syncStep1) {
			// Answer only with what is durable: the state as of now (a malformed state vector throws
			// here, a protocol error), sent once every update in it is saved. Encoding it later would
			// also send updates that arrived meanwhile and are not saved yet.
			const answer = encodeSyncMessage(syncStep2, Y.encodeStateAsUpdate(room.doc, payload));
			void this.committer.idle(room.name).then(() => connection.send(answer));
			return;
		}
		if (kind !== syncStep2 && kind !== syncUpdate) throw new Error(`unknown sync message ${kind}`);
		if (!connection.capability.canWrite) {
			connection.droppedWrites++;
			this.stats.droppedWrites++;
			return;
		}
		if (passesCap(this.committer.pendingBytes, payload, this.options.maxPendingBytes ?? MAX_PENDING_BYTES)) {
			this.stats.refusedWhileUnsaved++;
			this.log.warn(`[collab] too much unsaved: refusing a write of ${connection.capability.userId} to ${room.name}`);
			connection.socket.close(CLOSE.tryAgainLater, 'cannot save for now, try again later');
			return;
		}
		if (!this.isSafeUpdate(payload)) {
			this.stats.refusedUpdates++;
			this.log.warn(`[collab] refused an update from ${connection.capability.userId} to ${room.name}`);
			connection.socket.close(CLOSE.protocolError, 'invalid update');
			return;
		}
		Y.applyUpdate(room.doc, payload, connection);
	}

	/**
	 * Checks an update on a scratch document before it touches the real one: some crafted updates
	 * throw half-way or loop for a long time inside Yjs (yjs issues #479 and #687).
	 */
	private isSafeUpdate(update: Uint8Array): boolean {
		const started = performance.now();
		if (!this.appliesOnScratch(update)) return false;
		if (performance.now() - started < APPLY_DEADLINE_MS) return true;
		// Slow by the clock, which a loaded machine can be: measure again in CPU time (the CPU
		// clock costs a system call, so only on this rare path).
		const cpu = process.cpuUsage();
		this.appliesOnScratch(update);
		const spent = process.cpuUsage(cpu);
		return (spent.user + spent.system) / 1000 < APPLY_DEADLINE_MS;
	}

	private appliesOnScratch(update: Uint8Array): boolean {
		// A fixed guid: a random one per update costs a good share of the CPU under load.
		const scratch = new Y.Doc({ guid: 'scratch' });
		try {
			Y.decodeUpdate(update);
			Y.applyUpdate(scratch, update);
			return true;
		} catch {
			return false;
		} finally {
			scratch.destroy();
		}
	}

	/**
	 * Presence is stamped by the server: each entry carries the connection's real user, and a
	 * connection may only speak for the awareness ids it introduced.
	 */
	private receiveAwareness(connection: Connection, room: Room, update: Uint8Array): void {
		const { userId, userName } = connection.capability;
		const accepted = decodeAwarenessUpdate(update).filter((entry) => {
			if (entry.clientId === room.doc.clientID) return false;
			const owner = room.awarenessOwners.get(entry.clientId);
			if (owner !== undefined && owner !== connection) return false;
			room.awarenessOwners.set(entry.clientId, connection);
			connection.clientIds.add(entry.clientId);
			if (entry.state !== null) {
				// Only the server speaks about the server (see server-presence.ts).
				const own = { ...entry.state };
				delete own[SERVER_KEY];
				entry.state = { ...own, user: { id: userId, name: userName, colour: connection.colour } };
			}
			return true;
		});
		if (accepted.length === 0) return;
		awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwarenessUpdate(accepted), connection);
	}

	private fail(connection: Connection, why: string): void {
		this.stats.protocolErrors++;
		this.log.warn(
			`[collab] protocol error from ${connection.capability.userId} on ${connection.capability.docName}: ${why}`
		);
		connection.socket.close(CLOSE.protocolError, 'protocol error');
	}
}

function refuse(socket: Duplex, status: number, reason: string): void {
	const text = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' }[status] ?? 'Error';
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`
	);
}
