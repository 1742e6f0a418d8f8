import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type * as Y from 'yjs';
import { Bucket } from './bucket';
import { CLOSE } from './protocol';
import { PendingUpdates } from './update-guard';

/** What the upgrade established, once, for the life of the connection. */
export interface Capability {
	userId: string;
	userName: string;
	docName: string;
	teamId: string;
	canWrite: boolean;
	sessionId: string;
	/**
	 * For documents with limits on what they may hold (content-check.ts): what is wrong with the
	 * document an update would leave, or null. An update failing it is refused.
	 */
	contentCheck?: (doc: Y.Doc) => string | null;
}

/**
 * A sync request missing at most this many clocks (about characters typed) is from a client nearly
 * in step: colleagues typing while it asks, not a client fetching the document.
 */
const NEARLY_IN_STEP = 2_000;

export class Connection {
	/** Awareness client ids this connection speaks for. */
	readonly clientIds = new Set<number>();
	/** Its updates that wait for a missing dependency, kept out of the room's document. */
	readonly pending = new PendingUpdates();
	droppedWrites = 0;
	/** Dropped for reading too slowly (its backlog passed `maxBacklog`). */
	tooSlow = false;
	/** Messages a connection may send per second before it is closed: 200, in bursts of 400. */
	private readonly messages = new Bucket(200, 400);
	/**
	 * Sync requests (sync step 1) from far behind: a stock client sends one when it connects, and
	 * each costs the server an encoding of much of the document. Three in a row, then one every
	 * five seconds.
	 */
	private readonly catchUps = new Bucket(0.2, 3);
	/**
	 * Sync requests from a client nearly in step: Kring's own client asks after its edits, one at
	 * a time, to learn when they are saved (live-document.svelte.ts); the answer is small.
	 */
	private readonly confirmations = new Bucket(20, 40);

	constructor(
		readonly socket: WebSocket,
		readonly capability: Capability,
		readonly colour: string,
		/** Bytes queued to a slow reader before the connection is dropped (the process is not). */
		private readonly maxBacklog: number
	) {}

	send(message: Uint8Array): void {
		if (this.socket.readyState !== this.socket.OPEN) return;
		if (this.socket.bufferedAmount > this.maxBacklog) {
			// Dropped at once: a close frame would wait behind the backlog it does not read, and the
			// backlog would stay in memory until the closing handshake timed out.
			this.tooSlow = true;
			this.socket.terminate();
			return;
		}
		this.socket.send(message);
	}

	/** False when the connection sends faster than it may. */
	allowMessage(now = Date.now()): boolean {
		return this.messages.take(1, now);
	}

	/**
	 * False when the connection asks for the document's state more often than it may; `missing` is
	 * how much of the document the answer would send (see missingClocks in protocol.ts).
	 */
	allowSyncRequest(missing: number, now = Date.now()): boolean {
		if (missing <= NEARLY_IN_STEP) return this.confirmations.take(1, now);
		return this.catchUps.take(1, now);
	}
}

const COLOURS = [
	'#0f766e',
	'#b45309',
	'#7c3aed',
	'#be123c',
	'#1d4ed8',
	'#15803d',
	'#a16207',
	'#c026d3'
];

/** A stable colour per user, so a person looks the same on every board. */
export function colourFor(userId: string): string {
	let hash = 0;
	for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) | 0;
	return COLOURS[Math.abs(hash) % COLOURS.length]!;
}

/**
 * Closes the connections for a restart and waits (at most `waitMs`) for their closing handshakes:
 * messages a client sent before our close frame still arrive and are applied before the last
 * flush rather than after it, into nothing. Those that do not answer in time are cut.
 */
export async function closeAll(connections: Connection[], waitMs: number): Promise<void> {
	const sockets = connections.map((c) => c.socket);
	const closed = sockets.map(
		(ws) =>
			new Promise<void>((resolve) =>
				ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve())
			)
	);
	for (const ws of sockets) ws.close(CLOSE.goingAway, 'server restarting');
	let timer: ReturnType<typeof setTimeout> | undefined;
	await Promise.race([
		Promise.all(closed),
		new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))
	]);
	clearTimeout(timer);
	for (const ws of sockets) ws.terminate();
}

/**
 * Asks `recheck` whether each connection's user still has access (session valid, still a member)
 * and closes those that lost it. A failing check closes nothing: it runs again soon.
 */
export async function recheckAll(
	connections: Connection[],
	recheck: (capabilities: Capability[]) => Promise<boolean[]>,
	log: Pick<Console, 'info' | 'error'>
): Promise<void> {
	if (connections.length === 0) return;
	let verdicts: boolean[];
	try {
		verdicts = await recheck(connections.map((c) => c.capability));
	} catch (error) {
		log.error('[collab] access re-check failed:', error);
		return;
	}
	connections.forEach((connection, i) => {
		if (verdicts[i] !== false) return;
		const { userId, docName } = connection.capability;
		log.info(`[collab] access of ${userId} to ${docName} ended: closing`);
		connection.socket.close(CLOSE.policyViolation, 'access revoked');
	});
}

const STATUS_TEXT: Record<number, string> = {
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	503: 'Service Unavailable'
};

/**
 * Answers an upgrade request with a plain HTTP status instead of a WebSocket, then closes the
 * socket for good once the answer is written (as `ws` does): a client that never closes its side
 * cannot keep it open, nor keep the HTTP server from closing.
 */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
	if (socket.destroyed) return;
	socket.once('finish', () => socket.destroy());
	socket.end(
		`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\n` +
			`Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`
	);
}
