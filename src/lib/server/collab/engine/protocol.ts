import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

// The y-websocket protocol (https://github.com/yjs/y-websocket): every message starts with its
// type; sync messages carry y-protocols' sync sub-messages.
export const messageSync = 0;
export const messageAwareness = 1;
export const messageAuth = 2;
export const messageQueryAwareness = 3;

export const syncStep1 = 0;
export const syncStep2 = 1;
export const syncUpdate = 2;

/** WebSocket close codes used by the collab server. */
export const CLOSE = {
	goingAway: 1001,
	protocolError: 1002,
	policyViolation: 1008,
	tooBig: 1009,
	serverError: 1011,
	tryAgainLater: 1013,
	/** The document refused an update it cannot store: read-only until it reloads (see Room.isolate). */
	documentIsolated: 4001
} as const;

export function encodeSyncMessage(kind: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageSync);
	encoding.writeVarUint(encoder, kind);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, messageAwareness);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/** The state vector of a client that holds nothing yet. */
export const EMPTY_VECTOR = new Uint8Array([0]);

/**
 * How many clocks of `doc` a client with state vector `theirs` (decoded) lacks: what answering its
 * sync request costs, without encoding the answer.
 */
export function missingClocks(doc: Y.Doc, theirs: Map<number, number>): number {
	let missing = 0;
	for (const client of doc.store.clients.keys()) {
		missing += Math.max(0, Y.getState(doc.store, client) - (theirs.get(client) ?? 0));
	}
	return missing;
}

/** How many clocks `doc` holds in all (every client's next clock). */
export function totalClocks(doc: Y.Doc): number {
	let total = 0;
	for (const client of doc.store.clients.keys()) total += Y.getState(doc.store, client);
	return total;
}

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** The parsed state, or null when the client removes itself. */
	state: Record<string, unknown> | null;
}

/** Reads an awareness update (y-protocols' format); throws on anything malformed. */
export function decodeAwarenessUpdate(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count > 1000) throw new Error('too many awareness entries');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const parsed: unknown = JSON.parse(decoding.readVarString(decoder));
		if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
			throw new Error('awareness state is not an object');
		}
		entries.push({ clientId, clock, state: parsed as Record<string, unknown> | null });
	}
	return entries;
}

export function encodeAwarenessUpdate(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, JSON.stringify(entry.state));
	}
	return encoding.toUint8Array(encoder);
}
