// One bench client on the raw protocol: a socket, a document, and (for writers) a Y.Doc of its own
// that makes real Yjs updates. Received updates are not applied, only searched for markers, so the
// load process stays cheap enough to drive hundreds of clients.
import WS from 'ws';
import * as Y from 'yjs';
import type { Framing } from './framing';
import type { MarkerLog } from './markers';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

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
	private readonly writerDoc: Y.Doc | null;
	private lastUpdate: Uint8Array | null = null;
	private closing = false;

	constructor(
		readonly id: number,
		readonly docName: string,
		private readonly target: Target,
		private readonly log: MarkerLog,
		writer: boolean
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
					this.log.scan(data, id, now);
					resolve();
				} else if (incoming.kind === 'update') {
					this.log.scan(data, id, now);
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

	/** Sends one update carrying a fresh marker; the marker counts once the bytes are handed to ws. */
	write(expected: number, phase: number): void {
		if (this.writerDoc === null || this.socket.readyState !== WS.OPEN) return;
		const marker = this.log.issue(this.id, expected, phase);
		// One key per writer, overwritten: the document stays small however long the run.
		this.writerDoc.getMap('bench').set(`w${this.id}`, marker);
		const message = this.target.framing.update(this.docName, this.lastUpdate!);
		this.log.stamp(marker, performance.now());
		this.socket.send(message);
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
