// One bench client on the raw protocol: a socket, a document, and (for writers) a Y.Doc of its own
// that makes real Yjs updates. Received updates are not applied, only searched for markers, so the
// load process stays cheap enough to drive hundreds of clients. A client may also publish presence
// (an awareness state of its own, as a browser's cursor and name would be).
import * as encoding from 'lib0/encoding';
import WS from 'ws';
import * as Y from 'yjs';
import type { Framing } from './framing';
import type { MarkerLog } from './markers';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());
/** The list `write(…, keep)` appends markers to. */
export const KEPT = 'kept';
/** Awareness client ids of bench clients, one per client (a real client draws a random one). */
const PRESENCE_ID_BASE = 7_000_000;

export interface Target {
	framing: Framing;
	/** ws:// base URL (with Kring's /collab path). */
	base: string;
	/** What a browser would send with the upgrade (Origin, session cookie), per client. */
	headers(clientId: number): Record<string, string>;
}

export class RawClient {
	readonly socket: WS;
	readonly ready: Promise<void>;
	/** Set when the socket closed before the client itself closed it. */
	closedEarly: { code: number; reason: string } | null = null;
	error: string | null = null;
	/** The server's full state as its sync step 2 brought it (kept only when asked). */
	state: Uint8Array | null = null;
	/** When the client was made and when its sync step 2 arrived (performance.now()). */
	readonly openedAt = performance.now();
	syncedAt = NaN;
	/** Presence messages received (other clients' awareness, relayed by the server). */
	presenceReceived = 0;
	private presenceClock = 0;
	private readonly writerDoc: Y.Doc | null;
	private lastUpdate: Uint8Array | null = null;
	private closing = false;

	constructor(
		readonly id: number,
		readonly docName: string,
		private readonly target: Target,
		private readonly log: MarkerLog,
		writer: boolean,
		options: { keepState?: boolean } = {}
	) {
		this.writerDoc = writer ? new Y.Doc() : null;
		this.writerDoc?.on('update', (update: Uint8Array) => (this.lastUpdate = update));
		const { framing } = target;
		this.socket = new WS(framing.url(target.base, docName), {
			headers: target.headers(id),
			perMessageDeflate: false
		});
		this.socket.binaryType = 'nodebuffer';
		this.socket.on('error', (error) => (this.error ??= error.message));
		this.ready = new Promise<void>((resolve, reject) => {
			this.socket.once('error', reject);
			this.socket.once('unexpected-response', (_request, response) =>
				reject(new Error(`${docName}: upgrade refused with ${response.statusCode}`))
			);
			this.socket.on('open', () => {
				const vector = this.writerDoc ? Y.encodeStateVector(this.writerDoc) : EMPTY_STATE_VECTOR;
				for (const message of framing.hello(docName, vector)) this.socket.send(message);
			});
			this.socket.on('message', (data: Buffer) => {
				const now = performance.now();
				const incoming = framing.read(data);
				if (incoming.kind === 'step1') {
					const state = this.writerDoc
						? Y.encodeStateAsUpdate(this.writerDoc, incoming.stateVector)
						: Y.encodeStateAsUpdate(new Y.Doc());
					this.socket.send(framing.step2(docName, state));
				} else if (incoming.kind === 'step2') {
					this.syncedAt = now;
					if (options.keepState) this.state = incoming.update;
					this.log.scan(data, id, now);
					resolve();
				} else if (incoming.kind === 'update') {
					this.log.scan(data, id, now);
				} else if (incoming.kind === 'awareness') {
					this.presenceReceived++;
				} else if (incoming.kind === 'denied') {
					reject(new Error(`${docName}: permission denied (${incoming.reason})`));
				}
			});
			this.socket.on('close', (code: number, reason: Buffer) => {
				if (!this.closing) this.closedEarly = { code, reason: reason.toString() };
				reject(new Error(`${docName}: closed (${code})`));
			});
		});
	}

	/**
	 * Sends one update carrying a fresh marker; the marker counts once the bytes are handed to ws.
	 * By default one key per writer is overwritten, so the document stays small however long the
	 * run; `keep` appends the marker to a list instead, so the server's copy must hold every one.
	 */
	write(expected: number, phase: number, keep = false): string | null {
		if (this.writerDoc === null || this.socket.readyState !== WS.OPEN) return null;
		const marker = this.log.issue(this.id, expected, phase);
		if (keep) this.writerDoc.getArray<string>(KEPT).push([marker]);
		else this.writerDoc.getMap('bench').set(`w${this.id}`, marker);
		const message = this.target.framing.update(this.docName, this.lastUpdate!);
		this.log.stamp(marker, performance.now());
		this.socket.send(message);
		return marker;
	}

	/** Publishes this client's presence (a new clock each time, as a moving cursor would). */
	presence(): void {
		if (this.socket.readyState !== WS.OPEN) return;
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1); // one entry
		encoding.writeVarUint(encoder, PRESENCE_ID_BASE + this.id);
		encoding.writeVarUint(encoder, ++this.presenceClock);
		const state = { cursor: { index: this.presenceClock % 500 }, name: `bench ${this.id}` };
		encoding.writeVarString(encoder, JSON.stringify(state));
		this.socket.send(this.target.framing.awareness(this.docName, encoding.toUint8Array(encoder)));
	}

	/** The writer's last marker, to check the server's copy at the end. */
	lastMarker(): string | undefined {
		return this.writerDoc?.getMap<string>('bench').get(`w${this.id}`);
	}

	close(): Promise<void> {
		this.closing = true;
		if (this.socket.readyState === WS.CLOSED) return Promise.resolve();
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.socket.terminate();
				resolve();
			}, 2_000);
			this.socket.once('close', () => {
				clearTimeout(timer);
				resolve();
			});
			this.socket.close(1000);
		});
	}
}
