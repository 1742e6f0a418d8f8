import * as decoding from 'lib0/decoding';
import type { RawData } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isolatedState, storageUnavailableState } from '$lib/collab/server-presence';
import { Buckets } from './bucket';
import { touchedPaths, type TouchedPath } from './changes';
import type { Committer } from './committer';
import { Connection } from './connection';
import { compactionDue, type EngineSettings } from './defaults';
import { passesCap } from './pending-cap';
import type { Peers } from './peers';
import { PresenceFanout, presenceMessages } from './presence-fanout';
import * as presencePolicy from './presence-policy';
import {
	CLOSE,
	EMPTY_VECTOR,
	decodeAwarenessUpdate,
	encodeAwarenessUpdate,
	encodeSyncMessage,
	messageAuth,
	messageAwareness,
	messageQueryAwareness,
	messageSync,
	missingClocks,
	syncStep1,
	syncStep2,
	syncUpdate,
	totalClocks
} from './protocol';
import { checkSafeUpdate } from './safe-update';
import type { FairLane } from './fair-lane';
import { contentProblem } from './content-check';
import type { Slots } from './slots';
import type { Announced, DocStore, LogEntry, StoredDocument } from './store';
import { WholeState } from './whole-state';
import {
	claimByPresence,
	ClientOwners,
	reserveServerClientId,
	type Admission,
	type DecodedUpdate
} from './update-guard';

/** The origin of changes the server writes itself (governance mirror, generated rota weeks). */
const SYSTEM = Symbol('kring.collab.system');

/** The origin of updates another instance committed, applied here from its announcement. */
const REMOTE = Symbol('kring.collab.remote');

export type Log = Pick<Console, 'info' | 'warn' | 'error'>;

/** A server change refused because its document is isolated (read-only until it reloads). */
export class DocumentIsolatedError extends Error {
	constructor(docName: string, what: string) {
		super(`${docName} is isolated: ${what}`);
		this.name = 'DocumentIsolatedError';
	}
}

/** Awareness ids of connections that left a room, kept (with their user) at most. */
const LEFT_OWNERS_KEPT = 4_096;

/** What the engine counts, for tests and monitoring. */
export interface EngineStats {
	droppedWrites: number;
	refusedUpdates: number;
	protocolErrors: number;
	throttled: number;
	/** Messages that waited in the fair lane for everyone else's (see fair-lane.ts). */
	deferred: number;
	/** Writes refused because the unsaved bytes reached `maxPendingBytes`. */
	refusedWhileUnsaved: number;
	/** Connections dropped for not reading what they were sent. */
	slowConsumers: number;
	/** Awareness entries dropped: past a connection's or a room's cap (see presence-policy.ts). */
	presenceOverCap: number;
	/** Awareness entries dropped: for an id another user holds, or from another instance, unreadable. */
	presenceRefused: number;
	/** Updates refused for writing under a client id another user (or the server) owns. */
	refusedForeign: number;
	/** Updates refused for deleting clocks the server does not hold. */
	refusedDeleteBeyond: number;
	/** Updates refused because their connection held too many waiting for a missing dependency. */
	refusedTooMuchHeld: number;
	/** Updates refused for bringing more new client ids than their user may start (see `newClientIds`). */
	refusedNewClients: number;
	/** Updates held for their connection until a missing dependency arrives. */
	heldUpdates: number;
	/** Awareness entries dropped for speaking under a client id another user owns. */
	refusedForeignPresence: number;
	/** Updates refused because the document they would leave breaks its limits (content-check.ts). */
	refusedContent: number;
	/** Backstop: a guarded update left pending structs or deletes in the room's document. */
	pendingAfterApply: number;
}

export function noStats(): EngineStats {
	return {
		droppedWrites: 0,
		refusedUpdates: 0,
		protocolErrors: 0,
		throttled: 0,
		deferred: 0,
		refusedWhileUnsaved: 0,
		slowConsumers: 0,
		presenceOverCap: 0,
		presenceRefused: 0,
		refusedForeign: 0,
		refusedDeleteBeyond: 0,
		refusedTooMuchHeld: 0,
		refusedNewClients: 0,
		heldUpdates: 0,
		refusedForeignPresence: 0,
		refusedContent: 0,
		pendingAfterApply: 0
	};
}

/** What every room of one server shares: given by the server that holds the rooms. */
export interface RoomHost {
	readonly store: DocStore;
	readonly committer: Committer;
	/** Where the messages of members who send too many wait for everyone else's (fair-lane.ts). */
	readonly lane: FairLane<Connection>;
	/** Compactions running at once, whatever the number of documents wanting one. */
	readonly compactions: Slots;
	readonly settings: EngineSettings;
	readonly stats: EngineStats;
	readonly log: Log;
	readonly peers: Peers | null;
	/** Shutting down: rooms are no longer unloaded one by one. */
	isClosing(): boolean;
	/** Told after each update of a document is durable. */
	committed(docName: string): void;
	/** Nobody held the room for `unloadGraceMs`: take it out of the registry and `unload` it. */
	idle(room: Room): void;
}

/** How long after an update the updates held for a missing dependency are tried again. */
const RETRY_HELD_MS = 20;

/** Replays a stored document into `doc`. */
export function replayStored(doc: Y.Doc, stored: StoredDocument): void {
	Y.transact(doc, () => {
		if (stored.snapshot !== null) Y.applyUpdate(doc, stored.snapshot);
		for (const { update } of stored.updates) Y.applyUpdate(doc, update);
	});
}

/**
 * One live document in memory: it owns its Y.Doc, its awareness and its connections, and the path
 * of every message: receive → check → apply → commit → relay. Every update is durable in the log
 * before anyone else sees it. It also knows which rows of the update log its state holds (the next
 * compaction folds those into the snapshot and drops them).
 */
export class Room {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly connections = new Set<Connection>();
	/** Which user owns each client id of the document (see update-guard.ts). */
	readonly owners: ClientOwners;
	/** Client ids the update being applied claims: they ride on its log entry (see `commit`). */
	private nextClaims: number[] = [];
	/**
	 * Log rows (sequence number → bytes) this state holds that no compaction of ours has dropped
	 * yet, and their bytes in all.
	 */
	private readonly logged = new Map<number, number>();
	private loggedBytes = 0;
	/**
	 * What the snapshot weighs, as last loaded or compacted here (see `compactionDue`). When
	 * another instance's newer snapshot is merged into ours (see `store.compact`), the stored one
	 * may weigh a little more until the next load: the next compaction then comes a little early.
	 */
	private snapshotBytes: number;
	/** The version of the stored snapshot this state is known to include (0: none). */
	private snapshotVersion: number;
	/** Which user, and which of their connections, speaks for each awareness client id. */
	private readonly awarenessOwners = new Map<number, presencePolicy.Owner<Connection>>();
	/** Awareness ids another instance's connections hold here. */
	private readonly remoteIds = new Set<number>();
	private unloadTimer: ReturnType<typeof setTimeout> | null = null;
	/** Serialises compactions of this document. */
	private compaction: Promise<void> = Promise.resolve();
	/** Since when the document waits for the database (see showStorage), or null. */
	private storageSince: Date | null = null;
	/**
	 * Since when the store refused one of this document's updates, or null. The state in memory
	 * then holds what the store will never have: it is never compacted nor served again, writes
	 * are refused, and the room unloads (once everyone left) without saving, to reload from the
	 * store. See `isolate`.
	 */
	private isolatedAt: Date | null = null;
	/** Shared sync answers (newcomers, clients in step, clients lacking most): see WholeState. */
	private readonly wholeState = new WholeState();
	/**
	 * New client ids per user: a stock client starts one per page load. Every transaction of Yjs
	 * walks all the client ids of the document, so a member may start a hundred, then one every ten
	 * seconds.
	 */
	private readonly newClientIds = new Buckets(0.1, 100);
	/**
	 * Exact sync answers per member (see `stateAfter`): a stock client needs one when it comes back
	 * with part of the document, per page load. Twenty, then one a second.
	 */
	private readonly exactAnswers = new Buckets(1, 20);
	/** A retry of the updates connections hold is due (see `retryHeld`). */
	private retryTimer: ReturnType<typeof setTimeout> | null = null;

	constructor(
		readonly name: string,
		stored: StoredDocument,
		private readonly host: RoomHost
	) {
		// The server's own awareness has no state: only connections are present.
		this.awareness.setLocalState(null);
		this.owners = new ClientOwners(stored.owners);
		// The server's own id is the server's from the start: nobody may write or be present under it.
		reserveServerClientId(this.doc, this.owners);
		replayStored(this.doc, stored);
		for (const { seq, update } of stored.updates) this.log(seq, update);
		this.snapshotBytes = stored.snapshot?.byteLength ?? 0;
		this.snapshotVersion = stored.snapshotVersion;
		this.doc.on('update', (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => {
			this.wholeState.applied(update);
			// Another instance's update is durable already: relay it at once, do not log it again.
			if (origin === REMOTE) this.relay(update, null);
			else this.commit(update, origin, touchedPaths(doc, tr));
		});
		// A compacted document is its snapshot: the first newcomer gets the stored bytes as they
		// are (the encoding of this very state) instead of a fresh encoding of 400 KiB. Updates
		// since, ours or a migration's, follow it (see WholeState).
		if (stored.snapshot !== null && stored.updates.length === 0)
			this.wholeState.reset({ update: stored.snapshot, vector: Y.encodeStateVector(this.doc) });
		this.fanOutPresence();
	}

	// ---- connections ----

	join(connection: Connection): void {
		const { socket, capability } = connection;
		this.connections.add(connection);
		this.keepLoaded();
		socket.binaryType = 'nodebuffer';
		socket.on('message', (data: RawData, isBinary: boolean) =>
			this.receiveFrame(connection, data, isBinary)
		);
		socket.on('close', (code: number) => this.leave(connection, code));
		socket.on('error', (error) =>
			this.host.log.warn(`[collab] socket error (${capability.userId}):`, error.message)
		);
		// Server speaks first with its state vector (sync step 1) and the current presence.
		connection.send(encodeSyncMessage(syncStep1, Y.encodeStateVector(this.doc)));
		this.sendPresence(connection);
	}

	private sendPresence(connection: Connection): void {
		const present = [...this.awareness.getStates().keys()];
		for (const message of presenceMessages(this.awareness, present).messages) {
			connection.send(message);
		}
	}

	private leave(connection: Connection, code: number): void {
		const { userId } = connection.capability;
		if (code === CLOSE.tooBig)
			this.host.log.warn(`[collab] ${userId} sent an oversized message to ${this.name}`);
		if (connection.tooSlow) {
			this.host.stats.slowConsumers++;
			this.host.log.warn(`[collab] ${userId} does not read ${this.name}: dropped`);
		}
		this.connections.delete(connection);
		connection.pending.clear();
		const mine = [...connection.clientIds];
		// The ids stay their user's: a reconnect takes them back, nobody else can.
		for (const id of mine) this.awarenessOwners.set(id, { userId, connection: null });
		awarenessProtocol.removeAwarenessStates(this.awareness, mine, null);
		this.forgetLeftOwners();
		this.letGo();
	}

	broadcast(message: Uint8Array, except: Connection | null = null): void {
		for (const connection of this.connections) {
			if (connection !== except) connection.send(message);
		}
	}

	// ---- receive → check → apply ----

	private receiveFrame(connection: Connection, data: RawData, isBinary: boolean): void {
		if (!isBinary) return this.fail(connection, 'text frame');
		if (!connection.allowMessage()) {
			this.host.stats.throttled++;
			this.host.log.warn(`[collab] ${connection.capability.userId} floods ${this.name}: closing`);
			connection.socket.close(CLOSE.policyViolation, 'too many messages');
			return;
		}
		const bytes = data instanceof Buffer ? data : Buffer.concat(data as Buffer[]);
		const message = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const ranNow = this.host.lane.submit(connection, message.byteLength, () =>
			this.receive(connection, message)
		);
		if (!ranNow) this.host.stats.deferred++;
	}

	private receive(connection: Connection, message: Uint8Array): void {
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			switch (type) {
				case messageSync:
					return this.receiveSync(connection, decoder);
				case messageAwareness:
					return this.receiveAwareness(connection, decoding.readVarUint8Array(decoder));
				case messageQueryAwareness:
					return this.sendPresence(connection);
				case messageAuth:
					return; // permissions are decided at upgrade, not by the client
				default:
					throw new Error(`unknown message type ${type}`);
			}
		} catch (error) {
			this.fail(connection, error instanceof Error ? error.message : String(error));
		}
	}

	private receiveSync(connection: Connection, decoder: decoding.Decoder): void {
		const kind = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (kind === syncStep1) return this.answerSyncRequest(connection, payload);
		if (kind !== syncStep2 && kind !== syncUpdate) throw new Error(`unknown sync message ${kind}`);
		if (this.isolatedAt !== null) return this.refuseWhileIsolated(connection, payload);
		this.receiveUpdate(connection, payload);
	}

	/** Sync step 1: the client's state vector (a malformed one throws, a protocol error). */
	private answerSyncRequest(connection: Connection, vector: Uint8Array): void {
		const theirs = Y.decodeStateVector(vector);
		const missing = missingClocks(this.doc, theirs);
		if (!connection.allowSyncRequest(missing)) return this.throttleSync(connection);
		if (this.isolatedAt !== null) return this.answerFromStore(connection, vector);
		const answer = this.stateAfter(connection, vector, theirs, missing);
		// Answer only with what is durable: the state as of now, sent once every update in it is
		// saved. Encoding it later would also send updates that arrived meanwhile, not saved yet.
		void this.host.committer
			.idle(this.name)
			.then(() => answer.forEach((message) => connection.send(message)));
	}

	private throttleSync(connection: Connection): void {
		this.host.stats.throttled++;
		this.host.log.warn(
			`[collab] ${connection.capability.userId} asks ${this.name} for its state too often: closing`
		);
		connection.socket.close(CLOSE.policyViolation, 'too many sync requests');
	}

	/**
	 * The messages that give a client with state vector `vector` (`theirs`, lacking `missing`
	 * clocks) what it lacks.
	 *
	 * Most answers come from the shared whole state (see WholeState): newcomers, clients in step,
	 * and clients lacking more than half of the document, for whom the whole state is about as big
	 * as the exact answer. Only the rest need an encoding of their own, which walks the whole
	 * document: those are counted per member of the document, not per connection, since a member
	 * may open as many connections as they like. Past that budget the member gets the shared whole
	 * state too: bigger, but made once for everyone, and the connection stays open. Closing it
	 * instead had a client that comes back lacking a little reconnect and ask again: a storm of
	 * upgrades and session checks once the fuzzer's connections kept their documents (1008 closes
	 * went from 3,494 to 15,113 in a 60,000-frame run).
	 */
	private stateAfter(
		connection: Connection,
		vector: Uint8Array,
		theirs: Map<number, number>,
		missing: number
	): Uint8Array[] {
		const whole = () => ({
			update: Y.encodeStateAsUpdate(this.doc),
			vector: Y.encodeStateVector(this.doc)
		});
		const shared = this.wholeState.answer(vector, theirs, whole);
		if (shared !== null) return shared;
		if (
			missing * 2 > totalClocks(this.doc) ||
			!this.exactAnswers.take(connection.capability.userId)
		)
			return this.wholeState.answer(EMPTY_VECTOR, new Map(), whole)!;
		return [encodeSyncMessage(syncStep2, Y.encodeStateAsUpdate(this.doc, vector))];
	}

	/**
	 * Every update a client sends (sync step 2 or update) passes here, and only here, before it
	 * touches the document: the checks, then `Y.applyUpdate`, whose 'update' event commits it.
	 */
	private receiveUpdate(connection: Connection, update: Uint8Array): void {
		const { stats, log, settings } = this.host;
		if (!connection.capability.canWrite) {
			connection.droppedWrites++;
			stats.droppedWrites++;
			return;
		}
		if (passesCap(this.host.committer.pendingBytes, update, settings.maxPendingBytes)) {
			stats.refusedWhileUnsaved++;
			log.warn(
				`[collab] too much unsaved: refusing a write of ${connection.capability.userId} to ${this.name}`
			);
			connection.socket.close(CLOSE.tryAgainLater, 'cannot save for now, try again later');
			return;
		}
		const decoded = checkSafeUpdate(update, settings.applyDeadlineMs);
		if (decoded === null) {
			stats.refusedUpdates++;
			log.warn(`[collab] refused an update from ${connection.capability.userId} to ${this.name}`);
			connection.socket.close(CLOSE.protocolError, 'invalid update');
			return;
		}
		this.admit(connection, update, decoded);
	}

	/**
	 * Client ids belong to people: an update is applied only if its sender may write what it holds
	 * (update-guard.ts); one missing a dependency waits with its connection; the rest is refused.
	 */
	private admit(connection: Connection, update: Uint8Array, decoded: DecodedUpdate): void {
		const held = connection.pending.size;
		const admission = connection.pending.admit({
			update,
			decoded,
			doc: this.doc,
			owners: this.owners,
			userId: connection.capability.userId
		});
		if (connection.pending.size > held) this.host.stats.heldUpdates++;
		if (this.applyAdmitted(connection, admission)) this.retryHeld();
	}

	/** Applies what the guard admitted, or refuses the connection; true when anything was applied. */
	private applyAdmitted(connection: Connection, admission: Admission): boolean {
		if (!admission.ok) {
			this.refuse(connection, admission.reason, admission.clientId);
			return false;
		}
		const { stats, log } = this.host;
		const { userId } = connection.capability;
		const problem = contentProblem(this.doc, admission.apply, connection.capability.contentCheck);
		if (problem !== null) {
			connection.pending.clear();
			stats.refusedContent++;
			log.warn(`[collab] refused an update of ${userId} to ${this.name}: ${problem}`);
			connection.socket.close(CLOSE.policyViolation, 'document over its limits');
			return false;
		}
		for (const { update, claims } of admission.apply) {
			if (claims.length > 0 && !this.newClientIds.take(userId, claims.length)) {
				this.refuse(connection, 'too-many-client-ids', claims[0]!);
				return false;
			}
			const store = this.doc.store;
			const clean = store.pendingStructs === null && store.pendingDs === null;
			this.owners.record(claims, userId, false);
			this.nextClaims = claims;
			try {
				Y.applyUpdate(this.doc, update, connection);
			} finally {
				this.nextClaims = [];
			}
			if (clean && (store.pendingStructs !== null || store.pendingDs !== null)) {
				// The guard holds updates with missing dependencies: this should never happen.
				stats.pendingAfterApply++;
				log.warn(
					`[collab] an update of ${userId} left ${this.name} with pending structs or deletes`
				);
			}
		}
		return admission.apply.length > 0;
	}

	/**
	 * The document moved on: the updates connections hold for a missing dependency are tried again
	 * shortly, once for every update of that moment (each try merges and checks what is held).
	 */
	private retryHeld(): void {
		if (this.retryTimer !== null) return;
		if (![...this.connections].some((c) => c.pending.size > 0)) return;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.retryHeldNow();
		}, RETRY_HELD_MS);
	}

	private retryHeldNow(): void {
		for (let progress = true; progress;) {
			progress = false;
			for (const connection of this.connections) {
				if (connection.pending.size === 0) continue;
				const admission = connection.pending.retry({
					doc: this.doc,
					owners: this.owners,
					userId: connection.capability.userId
				});
				if (this.applyAdmitted(connection, admission)) progress = true;
			}
		}
	}

	/** Refuses an update without applying, storing or relaying it, and closes its connection. */
	private refuse(
		connection: Connection,
		reason: Exclude<Admission, { ok: true }>['reason'],
		clientId: number | null
	): void {
		const { stats, log } = this.host;
		connection.pending.clear();
		log.warn(
			`[collab] refused an update of ${connection.capability.userId} to ${this.name}: ${reason}` +
				(clientId === null ? '' : ` (client id ${clientId})`)
		);
		switch (reason) {
			case 'malformed':
				stats.refusedUpdates++;
				return connection.socket.close(CLOSE.protocolError, 'invalid update');
			case 'foreign-client':
				stats.refusedForeign++;
				return connection.socket.close(CLOSE.policyViolation, 'client id belongs to another user');
			case 'delete-beyond-known':
				stats.refusedDeleteBeyond++;
				return connection.socket.close(CLOSE.policyViolation, 'delete beyond known');
			case 'too-many-client-ids':
				stats.refusedNewClients++;
				return connection.socket.close(CLOSE.policyViolation, 'too many new client ids');
			case 'too-much-pending':
				stats.refusedTooMuchHeld++;
				return connection.socket.close(
					CLOSE.policyViolation,
					'too many updates missing dependencies'
				);
		}
	}

	/**
	 * Every awareness update a client sends passes here. Presence is stamped by the server: each
	 * entry carries the connection's real user and only the fields Kring's pages use; a connection
	 * speaks for a few awareness ids at most, those it announced (or its user announced before, on a
	 * connection now gone). Dropped entries are counted, never relayed, and close nothing: stock
	 * clients echo every presence they receive, their own and everyone else's.
	 */
	private receiveAwareness(connection: Connection, update: Uint8Array): void {
		const { userId, userName } = connection.capability;
		const { stats } = this.host;
		const states = this.awareness.getStates();
		const accepted = decodeAwarenessUpdate(update).filter((entry) => {
			const present = states.has(entry.clientId);
			const currentClock = this.awareness.meta.get(entry.clientId)?.clock ?? 0;
			const verdict =
				entry.clientId === this.doc.clientID
					? 'ignore' // the server's own state, echoed
					: presencePolicy.judgeClaim({
							connection,
							userId,
							clock: entry.clock,
							removal: entry.state === null,
							owner: this.awarenessOwners.get(entry.clientId) ?? null,
							present,
							currentClock,
							connectionIds: connection.clientIds.size,
							roomEntries: states.size,
							roomCap: presencePolicy.roomCap(this.connections.size) + this.remoteIds.size
						});
			if (verdict === 'ignore') return false;
			if (verdict === 'refuse-owned') stats.presenceRefused++;
			if (verdict === 'refuse-cap') stats.presenceOverCap++;
			if (verdict === 'refuse-owned' || verdict === 'refuse-cap') return false;
			// A client id seen in presence belongs to its user from now on, for the document too
			// (claimed only once the entry passed the caps, so a flood claims nothing).
			if (!claimByPresence(this.owners, entry.clientId, userId)) {
				stats.refusedForeignPresence++;
				return false;
			}
			if (entry.state !== null) {
				entry.state = presencePolicy.stampState(entry.state, {
					id: userId,
					name: userName,
					colour: connection.colour
				});
			}
			const changed =
				!present || JSON.stringify(entry.state) !== JSON.stringify(states.get(entry.clientId));
			const clock = presencePolicy.relayClock(entry.clock, currentClock, changed);
			if (clock === null) return false;
			entry.clock = clock;
			if (verdict === 'take-back') {
				this.awarenessOwners.get(entry.clientId)?.connection?.clientIds.delete(entry.clientId);
			}
			this.awarenessOwners.set(entry.clientId, { userId, connection });
			connection.clientIds.add(entry.clientId);
			this.remoteIds.delete(entry.clientId);
			return true;
		});
		if (accepted.length === 0) return;
		awarenessProtocol.applyAwarenessUpdate(
			this.awareness,
			encodeAwarenessUpdate(accepted),
			connection
		);
	}

	/** Forgets the oldest ids whose connection left, past a bound (a room may live for days). */
	private forgetLeftOwners(): void {
		let excess = this.awarenessOwners.size - LEFT_OWNERS_KEPT;
		for (const [id, owner] of this.awarenessOwners) {
			if (excess <= 0) return;
			if (owner.connection !== null || this.awareness.getStates().has(id)) continue;
			this.awarenessOwners.delete(id);
			excess--;
		}
	}

	private fail(connection: Connection, why: string): void {
		this.host.stats.protocolErrors++;
		this.host.log.warn(
			`[collab] protocol error from ${connection.capability.userId} on ${this.name}: ${why}`
		);
		connection.socket.close(CLOSE.protocolError, 'protocol error');
	}

	// ---- commit → relay ----

	/** Logs an applied update, then relays it to everyone else once it is durable. */
	private commit(update: Uint8Array, origin: unknown, touched: TouchedPath[]): void {
		const from = origin instanceof Connection ? origin : null;
		const userId = from?.capability.userId ?? null;
		const claims = this.nextClaims;
		this.nextClaims = [];
		const entry: LogEntry = { docName: this.name, update, userId, at: new Date(), touched };
		if (claims.length > 0) {
			// Stored in the same statement as the log row: the update and its ownership, or neither.
			entry.claims = claims;
			this.owners.record(claims, userId, true);
		}
		if (from === null && origin !== SYSTEM) {
			this.host.log.warn(
				`[collab] update of ${this.name} with an unknown origin, saved as the system's`
			);
		}
		void this.host.committer.submit(entry).then((saved) => {
			if (!saved) return this.isolate(from);
			this.log(entry.seq!, update);
			this.relay(update, from);
			this.host.committed(this.name);
			if (
				compactionDue(
					{ rows: this.logged.size, bytes: this.loggedBytes },
					this.snapshotBytes,
					this.host.settings
				)
			)
				this.compactSoon();
		});
	}

	private relay(update: Uint8Array, except: Connection | null): void {
		this.broadcast(encodeSyncMessage(syncUpdate, update), except);
	}

	/** A change written by the server itself; resolves once it is durable. */
	async change(mutate: (doc: Y.Doc) => void): Promise<void> {
		if (this.isolatedAt !== null) throw new DocumentIsolatedError(this.name, 'not changed');
		const claim = reserveServerClientId(this.doc, this.owners);
		this.nextClaims = claim === null ? [] : [claim];
		try {
			Y.transact(this.doc, () => mutate(this.doc), SYSTEM);
		} finally {
			this.nextClaims = [];
		}
		this.retryHeld();
		await this.host.committer.idle(this.name);
		if (this.isolatedAt !== null) throw new DocumentIsolatedError(this.name, 'change not saved');
	}

	// ---- isolation ----

	/**
	 * The store refused an update of this document (see Committer): that update, and any later
	 * one, is neither acknowledged nor relayed. What was acknowledged is in the store. From now on
	 * the board says so, writes are refused (the writer is closed with `documentIsolated`), and
	 * newcomers are served from the store, never from this state. "Fixed" means: once everyone has
	 * left, the room unloads without compacting, and the next open loads it from the store, which
	 * does not hold the refused update (an operator's restart does the same). Honest clients keep
	 * their own unsaved edits and send them again then.
	 */
	private isolate(writer: Connection | null): void {
		if (writer !== null) {
			writer.socket.close(CLOSE.documentIsolated, 'document isolated: update refused');
		}
		if (this.isolatedAt !== null) return;
		this.isolatedAt = this.host.committer.isolatedSince(this.name) ?? new Date();
		this.host.log.error(
			`[collab] ${this.name} is isolated: the store refused an update${writer === null ? '' : ` of ${writer.capability.userId}`}; read-only until it reloads`
		);
		this.showServerState();
	}

	/** While isolated, a sync answer holds only what the store holds. */
	private answerFromStore(connection: Connection, stateVector: Uint8Array): void {
		void this.host.committer
			.idle(this.name)
			.then(() => this.host.store.load(this.name))
			.then((stored) => {
				const saved = Y.mergeUpdates([
					...(stored.snapshot === null ? [] : [stored.snapshot]),
					...stored.updates.map((u) => u.update)
				]);
				connection.send(encodeSyncMessage(syncStep2, Y.diffUpdate(saved, stateVector)));
			})
			.catch((error: unknown) => {
				this.host.log.error(`[collab] reading ${this.name} for a sync answer failed:`, error);
				connection.socket.close(CLOSE.tryAgainLater, 'document unavailable, try again later');
			});
	}

	/** While isolated, an update that holds anything closes its writer (an empty one is a no-op). */
	private refuseWhileIsolated(connection: Connection, update: Uint8Array): void {
		const { structs, ds } = Y.decodeUpdate(update);
		if (structs.length === 0 && ds.clients.size === 0) return;
		this.host.stats.droppedWrites++;
		connection.socket.close(CLOSE.documentIsolated, 'document isolated: read-only until reloaded');
	}

	/** A change that must leave no trace (see CollabServer.erase): applied, then compacted at once. */
	async erase(mutate: (doc: Y.Doc) => void): Promise<void> {
		if (!this.doc.gc) throw new Error('erasure needs garbage collection on the document');
		await this.change(mutate);
		this.compaction = this.compaction.catch(() => {}).then(() => this.compact());
		await this.compaction;
	}

	// ---- presence ----

	/** Sends presence changes out in batches, to this room's connections and to the other instances. */
	private fanOutPresence(): void {
		const windowMs = this.host.settings.presenceWindowMs;
		const presence = new PresenceFanout(this.awareness, (m) => this.broadcast(m), windowMs);
		// What comes from other instances (REMOTE) and the server's own state ('local') stays here.
		const toPeers =
			this.host.peers === null
				? null
				: new PresenceFanout(this.awareness, (_m, ids) => this.sharePresence(ids), windowMs);
		this.awareness.on(
			'update',
			(
				{ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>,
				origin: unknown
			) => {
				const changed = added.concat(updated, removed);
				if (changed.length === 0) return;
				presence.add(changed);
				if (origin !== REMOTE && origin !== 'local') toPeers?.add(changed);
			}
		);
	}

	/** Announces presence to the other instances, in pieces small enough for NOTIFY. */
	private sharePresence(ids: number[]): void {
		const limit = this.host.settings.presenceNoteBytes;
		const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids);
		if (update.byteLength <= limit || ids.length === 1) {
			if (update.byteLength <= limit) this.host.peers?.sharePresence(this.name, update);
			return; // one person's presence too large to share: it stays on this instance
		}
		const half = Math.ceil(ids.length / 2);
		this.sharePresence(ids.slice(0, half));
		this.sharePresence(ids.slice(half));
	}

	/** The server's own awareness state says whether the document waits for the database. */
	showStorage(since: Date | null): void {
		this.storageSince = since;
		this.showServerState();
	}

	/** Isolated says more than waiting for the database (which that document no longer does). */
	private showServerState(): void {
		if (this.isolatedAt !== null) this.awareness.setLocalState(isolatedState(this.isolatedAt));
		else if (this.storageSince !== null)
			this.awareness.setLocalState(storageUnavailableState(this.storageSince));
		else this.awareness.setLocalState(null);
	}

	// ---- other instances ----

	/**
	 * Presence another instance's connections published, checked again: never for an id a
	 * connection of ours holds, known fields only, at most REMOTE_ENTRIES ids.
	 */
	applyPresence(update: Uint8Array): void {
		try {
			const accepted = decodeAwarenessUpdate(update).filter((entry) => {
				const owner = this.awarenessOwners.get(entry.clientId);
				if (
					entry.clientId === this.doc.clientID ||
					(owner !== undefined && owner.connection !== null)
				) {
					this.host.stats.presenceRefused++;
					return false;
				}
				if (entry.state === null) {
					this.remoteIds.delete(entry.clientId);
					return true;
				}
				const state = presencePolicy.remoteState(entry.state);
				if (state === null) {
					this.host.stats.presenceRefused++;
					return false;
				}
				if (
					!this.remoteIds.has(entry.clientId) &&
					this.remoteIds.size >= presencePolicy.REMOTE_ENTRIES
				) {
					this.host.stats.presenceOverCap++;
					return false;
				}
				this.remoteIds.add(entry.clientId);
				// Another user's id, while it is away from this instance: nobody here may claim it.
				const user = state.user as presencePolicy.User;
				// Stamped by the instance that took it: the id is claimed here too (in memory).
				claimByPresence(this.owners, entry.clientId, user.id);
				if (owner === undefined)
					this.awarenessOwners.set(entry.clientId, { userId: user.id, connection: null });
				entry.state = state;
				return true;
			});
			if (accepted.length === 0) return;
			awarenessProtocol.applyAwarenessUpdate(
				this.awareness,
				encodeAwarenessUpdate(accepted),
				REMOTE
			);
		} catch (error) {
			this.host.log.warn(
				`[collab] unreadable presence from another instance for ${this.name}:`,
				error
			);
		}
	}

	/** Applies what another instance committed (it relays through the 'update' event). */
	async applyAnnounced(updates: Announced['updates']): Promise<void> {
		try {
			const fresh = updates.filter((u) => !this.logged.has(u.seq));
			if (fresh.length === 0) return;
			const inline = fresh.filter((u) => u.update !== null) as {
				seq: number;
				update: Uint8Array;
			}[];
			const wanted = fresh.filter((u) => u.update === null).map((u) => u.seq);
			const fetched = await this.host.store.fetch(this.name, wanted);
			if (fetched.length < wanted.length) return await this.catchUp(); // compacted meanwhile
			const all = [...inline, ...fetched];
			await this.learnOwners(all.map((u) => u.update));
			this.applyRemote(all);
		} catch (error) {
			this.host.log.error(
				`[collab] applying another instance's update to ${this.name} failed:`,
				error
			);
			await this.catchUp();
		}
	}

	/** Reads the document from the store again and applies whatever this instance lacks. */
	async catchUp(): Promise<void> {
		try {
			const stored = await this.host.store.load(this.name);
			this.owners.learn(stored.owners);
			if (stored.snapshot !== null) {
				Y.applyUpdate(this.doc, stored.snapshot, REMOTE);
				this.snapshotVersion = stored.snapshotVersion; // the state now holds that snapshot
				this.snapshotBytes = stored.snapshot.byteLength;
			}
			this.applyRemote(stored.updates);
		} catch (error) {
			this.host.log.error(`[collab] catching up with ${this.name} failed:`, error);
		}
	}

	private applyRemote(updates: { seq: number; update: Uint8Array }[]): void {
		if (updates.length === 0) return;
		Y.transact(
			this.doc,
			() => {
				for (const { seq, update } of updates) {
					Y.applyUpdate(this.doc, update, REMOTE);
					this.log(seq, update);
				}
			},
			REMOTE
		);
		this.retryHeld();
	}

	/**
	 * Another instance stored who owns the client ids its updates bring (in the same statement):
	 * reads the owners of those that add clocks under an id not known here as stored, so nobody
	 * here can write under them. Only then are the updates applied.
	 */
	private async learnOwners(updates: Uint8Array[]): Promise<void> {
		const unknown = new Set<number>();
		for (const update of updates) {
			for (const [client, clock] of Y.parseUpdateMeta(update).to) {
				if (!this.owners.isLogged(client) && clock > Y.getState(this.doc.store, client))
					unknown.add(client);
			}
		}
		if (unknown.size > 0) this.owners.learn(await this.host.store.owners(this.name, [...unknown]));
	}

	// ---- compaction and unloading ----

	private compactSoon(): void {
		this.compaction = this.compaction
			.then(() => this.compact())
			.catch((error: unknown) =>
				this.host.log.error(`[collab] compaction of ${this.name} failed:`, error)
			);
	}

	/**
	 * Writes the document's state into its snapshot and drops the log rows that state holds, in one
	 * transaction. Rows another instance logged that have not reached us stay in the log.
	 */
	private async compact(): Promise<void> {
		await this.host.committer.idle(this.name);
		// The state holds a refused update: it must never reach the snapshot.
		if (this.isolatedAt !== null || this.host.committer.isolatedSince(this.name) !== null) return;
		if (this.logged.size === 0) return;
		const covered = [...this.logged.keys()];
		// The state may already hold updates still being committed: replaying them from the log on
		// load is harmless, Yjs updates are idempotent.
		this.snapshotVersion = await this.host.compactions.run(() => {
			const state = Y.encodeStateAsUpdate(this.doc);
			// The same encoding answers the next newcomers: it is the document as of now.
			this.wholeState.reset({ update: state, vector: Y.encodeStateVector(this.doc) });
			this.snapshotBytes = state.byteLength;
			return this.host.store.compact(this.name, state, covered, this.snapshotVersion);
		});
		for (const seq of covered) {
			this.loggedBytes -= this.logged.get(seq) ?? 0;
			this.logged.delete(seq);
		}
	}

	/** A log row this state holds (see `logged`). */
	private log(seq: number, update: Uint8Array): void {
		if (this.logged.has(seq)) return;
		this.logged.set(seq, update.byteLength);
		this.loggedBytes += update.byteLength;
	}

	keepLoaded(): void {
		if (this.unloadTimer !== null) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
	}

	/** Unloads the room after the grace period, unless a connection holds it by then. */
	letGo(): void {
		if (this.connections.size > 0 || this.unloadTimer !== null || this.host.isClosing()) return;
		this.unloadTimer = setTimeout(() => {
			this.unloadTimer = null;
			if (this.connections.size === 0) this.host.idle(this);
		}, this.host.settings.unloadGraceMs);
	}

	/** Compacts (retrying until it works) and frees the document; it is out of the registry. */
	async unload(): Promise<void> {
		for (let attempt = 1; ; attempt++) {
			try {
				await this.compaction;
				await this.compact();
				break;
			} catch (error) {
				this.host.log.error(
					`[collab] unloading ${this.name}: compaction failed (attempt ${attempt}):`,
					error
				);
				await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5_000)));
			}
		}
		this.destroy();
		// Isolated: what the store holds is the document again (compact() saved nothing of this state).
		if (this.isolatedAt !== null || this.host.committer.isolatedSince(this.name) !== null) {
			this.host.committer.release(this.name);
			this.host.log.info(
				`[collab] ${this.name} unloaded while isolated: it reloads from the store`
			);
		}
	}

	/** At shutdown: compacts once (on failure the log keeps the rows) and frees the document. */
	async close(): Promise<void> {
		try {
			await this.compact();
		} catch (error) {
			this.host.log.error(`[collab] compaction of ${this.name} at shutdown failed:`, error);
		}
		this.destroy();
	}

	private destroy(): void {
		this.keepLoaded();
		this.awareness.destroy();
		this.doc.destroy();
	}
}
