import { randomBytes } from 'node:crypto';
import net from 'node:net';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WS from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

// Hand-driven y-websocket clients for the collab engine's tests: they speak only when told to, and
// keep what the server sent (the document, every presence entry, how many messages of each kind).

export interface Raw {
	ws: WS;
	/** What the server sent, replayed into a document (sync messages). */
	doc: Y.Doc;
	/** Every presence entry the server sent, latest clock first wins (null: removed). */
	presence: Map<number, { clock: number; state: Record<string, unknown> | null }>;
	/** Messages received, by type (0 sync, 1 awareness), and their bytes in all. */
	received: { sync: number; awareness: number; bytes: number };
	closed: Promise<{ code: number; reason: string }>;
	send(message: Uint8Array | string): void;
}

/**
 * Opens a raw socket to a document, as `who` (a session token), with the app's Origin; what the
 * server sends is replayed into `doc` (a new one unless given: a reconnect keeps its own).
 */
export function openRaw(
	url: string,
	token: string,
	origin: string,
	doc: Y.Doc = new Y.Doc()
): Promise<Raw> {
	return new Promise((resolve, reject) => {
		const ws = new WS(url, { headers: { cookie: `session=${token}`, origin } });
		const presence: Raw['presence'] = new Map();
		const received = { sync: 0, awareness: 0, bytes: 0 };
		const closed = new Promise<{ code: number; reason: string }>((done) =>
			ws.on('close', (code, reason) => done({ code, reason: reason.toString() }))
		);
		ws.on('error', () => {}); // resets after the server closes on us are expected
		ws.on('message', (data: Buffer) => {
			received.bytes += data.length;
			try {
				const decoder = decoding.createDecoder(new Uint8Array(data));
				const type = decoding.readVarUint(decoder);
				if (type === 0) {
					received.sync++;
					syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), doc, 'server');
				} else if (type === 1) {
					received.awareness++;
					for (const entry of readAwareness(decoding.readVarUint8Array(decoder))) {
						const known = presence.get(entry.clientId);
						if (known === undefined || known.clock <= entry.clock)
							presence.set(entry.clientId, entry);
					}
				}
			} catch {
				// not ours to judge here
			}
		});
		ws.once('unexpected-response', (_request, response) =>
			reject(new Error(`refused: ${response.statusCode}`))
		);
		ws.once('open', () =>
			resolve({
				ws,
				doc,
				presence,
				received,
				closed,
				send(message) {
					if (ws.readyState === ws.OPEN) ws.send(message);
				}
			})
		);
	});
}

function readAwareness(update: Uint8Array) {
	const decoder = decoding.createDecoder(update);
	const entries: { clientId: number; clock: number; state: Record<string, unknown> | null }[] = [];
	for (let count = decoding.readVarUint(decoder); count > 0; count--) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		entries.push({
			clientId,
			clock,
			state: JSON.parse(decoding.readVarString(decoder)) as Record<string, unknown> | null
		});
	}
	return entries;
}

export function syncMessage(kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

export function awarenessMessage(
	entries: { clientId: number; clock: number; state: unknown }[]
): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(update, entry.clientId);
		encoding.writeVarUint(update, entry.clock);
		encoding.writeVarString(update, JSON.stringify(entry.state));
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
	return encoding.toUint8Array(encoder);
}

/** An update made on a scratch document. */
export function updateOf(mutate: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	mutate(doc);
	const update = Y.encodeStateAsUpdate(doc);
	doc.destroy();
	return update;
}

/**
 * A client that completes the WebSocket handshake and then stops reading: a phone whose app froze,
 * a dead network path. What the server sends piles up in the TCP buffers, then in the server.
 */
export function openNonReader(
	url: string,
	token: string,
	origin: string
): Promise<{ socket: net.Socket; gone: Promise<void> }> {
	const { hostname, port, pathname } = new URL(url);
	return new Promise((resolve, reject) => {
		const socket = net.connect(Number(port), hostname);
		const gone = new Promise<void>((done) => socket.once('close', () => done()));
		socket.on('error', () => {}); // the server dropping us is the point
		let head = '';
		const onData = (chunk: Buffer) => {
			head += chunk.toString('latin1');
			if (!head.includes('\r\n\r\n')) return;
			socket.off('data', onData);
			if (!head.startsWith('HTTP/1.1 101'))
				return reject(new Error(`refused: ${head.split('\r\n')[0]}`));
			socket.pause();
			resolve({ socket, gone });
		};
		socket.on('data', onData);
		socket.once('connect', () =>
			socket.write(
				[
					`GET ${pathname} HTTP/1.1`,
					`Host: ${hostname}:${port}`,
					'Connection: Upgrade',
					'Upgrade: websocket',
					'Sec-WebSocket-Version: 13',
					`Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
					`Origin: ${origin}`,
					`Cookie: session=${token}`,
					'',
					''
				].join('\r\n')
			)
		);
	});
}
