import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isQuotaError, OFFLINE_DB_PREFIX } from '$lib/domain/offline-cache';
import { inspectCopy, SYNCED_AT_KEY } from './offline-copy';
import { isolatedSince, isServerState, storageUnavailableSince } from './server-presence';

/**
 * - `connecting`: opening the connection and catching up;
 * - `saving`: edits sent, not yet confirmed saved by the server;
 * - `saved`: everything on this screen is stored on the server;
 * - `offline`: no connection; edits are kept on this device and sent when it returns;
 * - `server-unsaved`: connected, but the server cannot save for now (its database is away); edits
 *   are kept here and on the server, and saved, then shared, once it can;
 * - `server-isolated`: the server refused an update of this document that it cannot store; the
 *   document is read-only (what was saved stays) until everyone has closed it; edits made here
 *   meanwhile are kept on this device and sent when it opens again.
 */
export type SyncStatus =
	'connecting' | 'saving' | 'saved' | 'offline' | 'server-unsaved' | 'server-isolated';

export interface Peer {
	clientId: number;
	name: string;
	colour: string;
	selection: string | null;
	/** Where their caret is in a shared text, as they published it (see remote-cursors.ts). */
	cursor: unknown;
}

const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;
/** How often, at most, the offline copy's "last in step with the server" time is written. */
const SYNCED_AT_EVERY_MS = 10_000;

/**
 * The document's copy on this device: `checking` it; `complete` (loaded, and in step with the
 * server at `syncedAt`); `missing` (nothing usable here yet); `dropped` (it was corrupt or partial:
 * deleted, to be loaded again from the server).
 */
export type DeviceCopy = 'checking' | 'complete' | 'missing' | 'dropped';
/** Why the device cannot keep a copy: full (`quota`) or no storage at all (`unavailable`). */
export type StorageProblem = 'quota' | 'unavailable';

/**
 * A live board document in the browser: the stock y-websocket provider for the server, y-indexeddb
 * for the offline copy, and its state as runes for Svelte components.
 *
 * Saved means saved: the server answers a sync request only once every update it received before
 * is in Postgres, so after local edits this asks again and shows `saved` when the answer arrives.
 */
export class LiveDocument {
	readonly doc = new Y.Doc();
	status = $state<SyncStatus>('connecting');
	/** Connected and not in step with the server yet (what `connecting` meant before `server-unsaved`). */
	catchingUp = $state(true);
	peers = $state<Peer[]>([]);
	/** Bumped on every change of the document, local or remote: derive views from it. */
	version = $state(0);
	/** What this device holds of the document (see DeviceCopy). */
	deviceCopy = $state<DeviceCopy>('checking');
	/** When the copy on this device was last in step with the server. */
	syncedAt = $state<Date | null>(null);
	storageProblem = $state<StorageProblem | null>(null);
	/** The document can be shown: in step with the server, or a complete copy from this device. */
	loaded = $state(false);
	private syncedAtWritten = 0;
	private closed = false;
	private provider: WebsocketProvider | null = null;
	private offline: IndexeddbPersistence | null = null;
	private unsaved = 0;
	private probe: ReturnType<typeof setTimeout> | null = null;
	private probedAt = 0;
	/** The server says it cannot save this document for now (see server-presence.ts). */
	private serverUnsaved = false;
	/** The server refused an update of this document: read-only until it reloads. */
	private serverIsolated = false;

	constructor(
		readonly name: string,
		private readonly userId: string
	) {}

	/** Opens the document; returns the function that closes it (for `$effect`). */
	connect(): () => void {
		void this.openDeviceCopy(`${OFFLINE_DB_PREFIX}${this.userId}:${this.name}`);
		const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		const provider = new WebsocketProvider(url, this.name, this.doc, { maxBackoffTime: 5_000 });
		this.provider = provider;

		provider.on('status', ({ status }: { status: string }) => {
			// An answer to a request sent on a previous connection will never come.
			this.probedAt = 0;
			if (status === 'connected') this.watch(provider);
			this.refresh();
		});
		provider.on('sync', (synced: boolean) => {
			// Edits made offline went out during the sync; ask again to learn when they are saved.
			if (synced && this.unsaved > 0) this.askForConfirmation();
			if (synced) this.loaded = true;
			this.refresh();
		});
		this.doc.on('update', (_update: Uint8Array, origin: unknown) => {
			this.version++;
			if (origin === provider || origin === this.offline) return;
			this.unsaved++;
			this.refresh();
			this.askForConfirmation();
		});
		provider.awareness.on('change', () => {
			this.readPeers();
			const states = [...provider.awareness.getStates().values()];
			this.serverUnsaved = storageUnavailableSince(states) !== null;
			this.serverIsolated = isolatedSince(states) !== null;
			this.refresh();
		});
		// Announce presence: y-protocols ignores a peer's initial empty state (clock 0), so set a field.
		// The server stamps the real user's name and colour onto it.
		provider.awareness.setLocalStateField('selection', null);
		// A phone losing its network may keep a dead socket open for a while; the browser knows sooner.
		const goOffline = () => provider.disconnect();
		const goOnline = () => provider.connect();
		window.addEventListener('offline', goOffline);
		window.addEventListener('online', goOnline);
		return () => {
			window.removeEventListener('offline', goOffline);
			window.removeEventListener('online', goOnline);
			this.destroy();
		};
	}

	/** Tells the others where this person's caret is in a shared text, or nothing. */
	setCursor(cursor: unknown): void {
		this.provider?.awareness.setLocalStateField('cursor', cursor);
	}

	/** Tells the others what this person is working on (a card, a cell), or nothing. */
	select(target: string | null): void {
		this.provider?.awareness.setLocalStateField('selection', target);
	}

	private refresh(): void {
		const provider = this.provider;
		this.catchingUp = provider !== null && provider.wsconnected && !provider.synced;
		if (provider === null || !provider.wsconnected) this.status = 'offline';
		else if (this.serverIsolated) this.status = 'server-isolated';
		else if (this.serverUnsaved) this.status = 'server-unsaved';
		else if (!provider.synced) this.status = 'connecting';
		else this.status = this.unsaved > 0 ? 'saving' : 'saved';
		if (this.status === 'saved') this.noteInStep();
	}

	/**
	 * Checks the copy on this device (a corrupt or partial one is deleted), then keeps it in step
	 * with y-indexeddb. Storage failures are kept in `storageProblem`, never thrown.
	 */
	private async openDeviceCopy(dbName: string): Promise<void> {
		let check: Awaited<ReturnType<typeof inspectCopy>>;
		try {
			check = await inspectCopy(dbName);
		} catch (error) {
			this.storageProblem = isQuotaError(error) ? 'quota' : 'unavailable';
			this.deviceCopy = 'missing';
			return;
		}
		if (this.closed) return;
		const offline = new IndexeddbPersistence(dbName, this.doc);
		this.offline = offline;
		offline._db.then(
			(db) => {
				const onFailure = (event: Event) => {
					const target = event.target as IDBRequest | IDBTransaction | null;
					if (isQuotaError(target?.error)) this.storageProblem = 'quota';
				};
				db.addEventListener('error', onFailure);
				db.addEventListener('abort', onFailure);
			},
			() => {
				this.storageProblem = 'unavailable';
				this.deviceCopy = 'missing';
			}
		);
		await offline.whenSynced;
		if (this.closed) return;
		if (check.state === 'broken') this.deviceCopy = 'dropped';
		else if (check.state === 'kept' && check.syncedAt !== null) {
			this.deviceCopy = 'complete';
			this.syncedAt ??= check.syncedAt;
			this.loaded = true;
		} else this.deviceCopy = 'missing';
		if (this.status === 'saved') this.noteInStep();
	}

	/** Writes down, now and then, that the copy on this device is in step with the server. */
	private noteInStep(): void {
		const offline = this.offline;
		const now = Date.now();
		// A new value each time (never mutated): assigning it is what the page reacts to.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		this.syncedAt = new Date(now);
		if (offline === null || !offline.synced || now - this.syncedAtWritten < SYNCED_AT_EVERY_MS)
			return;
		this.syncedAtWritten = now;
		this.deviceCopy = 'complete';
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- only turned into a string
		offline.set(SYNCED_AT_KEY, new Date(now).toISOString()).catch((error: unknown) => {
			this.storageProblem = isQuotaError(error) ? 'quota' : 'unavailable';
		});
	}

	/** Sends a sync request after local edits; its answer means they are durable. */
	private askForConfirmation(): void {
		if (this.probe !== null) return;
		this.probe = setTimeout(() => {
			this.probe = null;
			const ws = this.provider?.ws;
			if (!ws || ws.readyState !== WebSocket.OPEN) return;
			// One question at a time: its answer asks again if more edits came in meanwhile.
			if (this.probedAt > 0) return;
			this.probedAt = this.unsaved;
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, MESSAGE_SYNC);
			syncProtocol.writeSyncStep1(encoder, this.doc);
			ws.send(encoding.toUint8Array(encoder));
		}, 100);
	}

	private watch(provider: WebsocketProvider): void {
		const ws = provider.ws;
		if (!ws) return;
		ws.addEventListener('message', (event: MessageEvent) => {
			if (!(event.data instanceof ArrayBuffer)) return;
			const decoder = decoding.createDecoder(new Uint8Array(event.data));
			if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return;
			if (decoding.readVarUint(decoder) !== SYNC_STEP_2) return;
			if (this.probedAt === 0) return; // the provider's own sync, not our question
			if (this.unsaved <= this.probedAt) this.unsaved = 0;
			else this.askForConfirmation(); // more edits came in meanwhile
			this.probedAt = 0;
			this.refresh();
		});
	}

	private readPeers(): void {
		const provider = this.provider;
		if (provider === null) return;
		const peers: Peer[] = [];
		for (const [clientId, state] of provider.awareness.getStates()) {
			if (clientId === this.doc.clientID || isServerState(state)) continue;
			const user = state.user as { name?: unknown; colour?: unknown } | undefined;
			if (typeof user?.name !== 'string') continue;
			peers.push({
				clientId,
				name: user.name,
				colour: typeof user.colour === 'string' ? user.colour : '#57534e',
				selection: typeof state.selection === 'string' ? state.selection : null,
				cursor: state.cursor ?? null
			});
		}
		this.peers = peers;
	}

	destroy(): void {
		this.closed = true;
		if (this.probe !== null) clearTimeout(this.probe);
		this.provider?.destroy();
		void this.offline?.destroy();
		this.doc.destroy();
		this.provider = null;
	}
}

/**
 * Opens a live document for as long as the calling component lives (call it during component
 * set-up). `current` is null until the browser has opened it, and on the server.
 */
export function useLiveDocument(
	name: () => string,
	userId: () => string
): { readonly current: LiveDocument | null } {
	let current = $state<LiveDocument | null>(null);
	// Strings, compared by value: a page reloading its data (a new `data` object, same team) must
	// not close and reopen its documents. Reopening one empties the page until it syncs again, and
	// a keystroke landing meanwhile went into the copy being closed.
	const docName = $derived(name());
	const user = $derived(userId());
	$effect(() => {
		const document = new LiveDocument(docName, user);
		current = document;
		const close = document.connect();
		return () => {
			close();
			current = null;
		};
	});
	return {
		get current() {
			return current;
		}
	};
}
