// The two wire framings the load generator speaks, built with y-protocols' own encoding (lib0):
// - y-websocket (Kring, the reference server): one document per socket, named in the URL;
//   [messageType][sync sub-type][payload].
// - Hocuspocus: the document name prefixed to every message, an auth message first;
//   [docName][messageType][…]. Its SyncReply (4) is a sync message that asks for no second step 1.
// Awareness (presence) is message type 1 in both, its payload y-protocols' awareness update.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const SYNC_REPLY = 4;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const AUTH_TOKEN = 0;
const AUTH_DENIED = 1;
const AUTH_OK = 2;

/** What an incoming message is, as far as a bench client cares. */
type Incoming =
	| { kind: 'step1'; stateVector: Uint8Array }
	| { kind: 'step2'; update: Uint8Array }
	| { kind: 'update' }
	| { kind: 'awareness' }
	| { kind: 'authenticated' }
	| { kind: 'denied'; reason: string }
	| { kind: 'other' };

export interface Framing {
	readonly name: 'y-websocket' | 'hocuspocus';
	/** The socket's URL for a document, from the server's ws:// base (with any path prefix). */
	url(base: string, docName: string): string;
	/** What a client sends as soon as the socket is open. */
	hello(docName: string, stateVector: Uint8Array): Uint8Array[];
	step2(docName: string, update: Uint8Array): Uint8Array;
	update(docName: string, update: Uint8Array): Uint8Array;
	/** A presence message carrying an encoded awareness update. */
	awareness(docName: string, update: Uint8Array): Uint8Array;
	read(message: Uint8Array): Incoming;
}

function sync(prefix: string | null, type: number, kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	if (prefix !== null) encoding.writeVarString(encoder, prefix);
	encoding.writeVarUint(encoder, type);
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

function presence(prefix: string | null, update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	if (prefix !== null) encoding.writeVarString(encoder, prefix);
	encoding.writeVarUint(encoder, AWARENESS);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

function readSync(decoder: decoding.Decoder): Incoming {
	const kind = decoding.readVarUint(decoder);
	if (kind === STEP1) return { kind: 'step1', stateVector: decoding.readVarUint8Array(decoder) };
	if (kind === STEP2) return { kind: 'step2', update: decoding.readVarUint8Array(decoder) };
	if (kind === UPDATE) return { kind: 'update' };
	return { kind: 'other' };
}

export const yWebsocket: Framing = {
	name: 'y-websocket',
	url: (base, docName) => `${base}/${docName}`,
	hello: (_docName, stateVector) => [sync(null, SYNC, STEP1, stateVector)],
	step2: (_docName, update) => sync(null, SYNC, STEP2, update),
	update: (_docName, update) => sync(null, SYNC, UPDATE, update),
	awareness: (_docName, update) => presence(null, update),
	read(message) {
		const decoder = decoding.createDecoder(message);
		const type = decoding.readVarUint(decoder);
		if (type === SYNC) return readSync(decoder);
		return type === AWARENESS ? { kind: 'awareness' } : { kind: 'other' };
	}
};

export const hocuspocus: Framing = {
	name: 'hocuspocus',
	// One socket per client and document here (as a provider with its own socket does).
	url: (base) => base,
	hello(docName, stateVector) {
		const auth = encoding.createEncoder();
		encoding.writeVarString(auth, docName);
		encoding.writeVarUint(auth, AUTH);
		encoding.writeVarUint(auth, AUTH_TOKEN);
		encoding.writeVarString(auth, ''); // no onAuthenticate hook: any token is accepted
		return [encoding.toUint8Array(auth), sync(docName, SYNC, STEP1, stateVector)];
	},
	step2: (docName, update) => sync(docName, SYNC, STEP2, update),
	update: (docName, update) => sync(docName, SYNC, UPDATE, update),
	awareness: (docName, update) => presence(docName, update),
	read(message) {
		const decoder = decoding.createDecoder(message);
		decoding.readVarString(decoder); // the document name
		const type = decoding.readVarUint(decoder);
		if (type === SYNC || type === SYNC_REPLY) return readSync(decoder);
		if (type === AWARENESS) return { kind: 'awareness' };
		if (type === AUTH) {
			const kind = decoding.readVarUint(decoder);
			if (kind === AUTH_OK) return { kind: 'authenticated' };
			if (kind === AUTH_DENIED) return { kind: 'denied', reason: decoding.readVarString(decoder) };
		}
		return { kind: 'other' };
	}
};
