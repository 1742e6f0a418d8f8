import { z } from 'zod';

// What presence the server accepts and relays: who may speak for an awareness client id, how many
// ids a connection and a room hold, which fields a state may carry, and how large a relay may be.
// Pure functions: the Room asks, and keeps the maps.

/**
 * Awareness client ids one connection may speak for. A stock y-websocket provider uses one (its
 * document's client id); a few leave room for a client that changes its id, never for a flood.
 */
export const IDS_PER_CONNECTION = 4;
/** Entries another instance's connections may hold in one room of this instance. */
export const REMOTE_ENTRIES = 256;
/**
 * A relay holds at most this many entries and bytes. Stock clients echo every relay they receive
 * in one message: it must stay far below what the server accepts (1,000 entries, `maxMessageBytes`).
 */
export const RELAY_ENTRIES = 100;
export const RELAY_BYTES = 64 * 1024;
/** Longest text a presence field may hold (a field name, a selection such as `item:<uuid>`). */
export const TEXT_CHARS = 200;

/** Entries a room holds at most: a few per connection, plus the server's own. */
export function roomCap(connections: number): number {
	return IDS_PER_CONNECTION * connections + 1;
}

export interface Owner<C> {
	userId: string;
	/** The connection that announced the id, or null once it left (the id stays its user's). */
	connection: C | null;
}

/**
 * - `accept`: the connection speaks for its own id, or claims a free one;
 * - `take-back`: the same user returns with the id on a new connection (a reconnect);
 * - `ignore`: nothing to do (an echo of what the server sent, a removal of what nobody holds);
 * - `refuse-owned`: the id belongs to another user (or to the server);
 * - `refuse-cap`: the connection or the room holds as many ids as it may.
 */
export type Verdict = 'accept' | 'take-back' | 'ignore' | 'refuse-owned' | 'refuse-cap';

export interface Claim<C> {
	connection: C;
	userId: string;
	clock: number;
	removal: boolean;
	owner: Owner<C> | null;
	/** Whether the room shows a state for the id now, and its clock (0: never seen). */
	present: boolean;
	currentClock: number;
	/** Ids the connection speaks for now, and entries the room holds. */
	connectionIds: number;
	roomEntries: number;
	roomCap: number;
}

/** Whether `claim.connection` may speak for an awareness id (see `Verdict`). */
export function judgeClaim<C>(claim: Claim<C>): Verdict {
	const { owner, connection } = claim;
	if (owner !== null && owner.connection === connection) return 'accept';
	// Stock clients echo every presence they receive: a removal of an absent id, or a state no
	// newer than the one shown, says nothing new and must not move the id.
	if (claim.removal && !claim.present) return 'ignore';
	if (claim.present && claim.clock <= claim.currentClock) return 'ignore';
	if (owner !== null && owner.userId !== claim.userId) return 'refuse-owned';
	if (claim.connectionIds >= IDS_PER_CONNECTION) return 'refuse-cap';
	if (!claim.present && claim.roomEntries >= claim.roomCap) return 'refuse-cap';
	return owner === null ? 'accept' : 'take-back';
}

/**
 * The clock an accepted entry is applied and relayed with, or null when it changes nothing.
 * y-protocols ignores a clock it has seen, and clients keep their clock across a reconnect: a
 * state that is new but no newer by its clock (a member back on a new connection, whose removal
 * everyone saw at that clock) goes out one past the last, so everyone takes it. A client that
 * receives its own state with a higher clock adopts it and echoes it: that echo changes nothing.
 */
export function relayClock(clock: number, currentClock: number, changed: boolean): number | null {
	if (clock > currentClock) return clock;
	return changed ? currentClock + 1 : null;
}

const text = z.string().max(TEXT_CHARS);
const id = z.strictObject({ client: z.number().int().min(0), clock: z.number().int().min(0) });
/** A Yjs relative position as `Y.relativePositionToJSON` writes it. */
const relativePosition = z.strictObject({
	type: id.optional(),
	tname: text.optional(),
	item: id.optional(),
	assoc: z.number().int().optional()
});
/** The fields Kring's pages publish (live-document.svelte.ts, remote-cursors.ts). */
const FIELDS = {
	cursor: z
		.strictObject({ field: text, anchor: relativePosition, head: relativePosition })
		.nullable(),
	selection: text.nullable()
};
/** The user another instance stamped (see `stampState`). */
const stamp = z.strictObject({ id: text, name: text, colour: text });

export interface User {
	id: string;
	name: string;
	colour: string;
}

/** Keeps the fields Kring's pages use, each valid; drops anything else. */
export function keepKnownFields(state: Record<string, unknown>): Record<string, unknown> {
	const kept: Record<string, unknown> = {};
	for (const [key, schema] of Object.entries(FIELDS)) {
		if (!(key in state)) continue;
		const parsed = schema.safeParse(state[key]);
		if (parsed.success) kept[key] = parsed.data;
	}
	return kept;
}

/** A client's state as the server relays it: known fields only, under the connection's real user. */
export function stampState(state: Record<string, unknown>, user: User): Record<string, unknown> {
	return { ...keepKnownFields(state), user: { id: user.id, name: user.name, colour: user.colour } };
}

/** A state another instance relayed, checked again: known fields and a well-formed stamp, or null. */
export function remoteState(state: Record<string, unknown>): Record<string, unknown> | null {
	const user = stamp.safeParse(state.user);
	return user.success ? { ...keepKnownFields(state), user: user.data } : null;
}

/**
 * Splits items into relays of at most `maxEntries` items and `maxBytes` bytes (by `sizeOf`); an
 * item larger than `maxBytes` on its own is left out (returned in `tooLarge`).
 */
export function splitRelays<T>(
	items: readonly T[],
	sizeOf: (item: T) => number,
	limits: { maxEntries: number; maxBytes: number }
): { relays: T[][]; tooLarge: T[] } {
	const relays: T[][] = [];
	const tooLarge: T[] = [];
	let current: T[] = [];
	let bytes = 0;
	for (const item of items) {
		const size = sizeOf(item);
		if (size > limits.maxBytes) {
			tooLarge.push(item);
			continue;
		}
		if (current.length >= limits.maxEntries || bytes + size > limits.maxBytes) {
			relays.push(current);
			current = [];
			bytes = 0;
		}
		current.push(item);
		bytes += size;
	}
	if (current.length > 0) relays.push(current);
	return { relays, tooLarge };
}
