import * as Y from 'yjs';

// Client ids belong to people (issue 15). Every Yjs struct carries the client id that wrote it, and
// every id is public (presence, state vectors), so Yjs alone lets anyone write "as" anyone: forge
// structs at a colleague's next clocks, or delete clocks a colleague has not written yet, which
// Yjs keeps as a pending delete and applies to their edits on arrival. This module decides, before
// an update touches the room's document, whether its sender may write what it holds.

/** Who owns a client id: a user id, or null for the server itself. */
export type Owner = string | null;

/** What `Y.decodeUpdate` gives (pass it when the caller decoded the update already). */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;

export type Verdict =
	/** Apply it; record `claims` as the sender's (and store them with the update's log row). */
	| { ok: true; claims: number[] }
	/** Refuse it without applying, storing or relaying it, and close the connection. */
	| {
			ok: false;
			reason: 'foreign-client' | 'delete-beyond-known' | 'malformed';
			clientId: number | null;
	  }
	/** Some structs cannot be integrated yet: hold it for this connection (PendingUpdates). */
	| { pending: true };

/**
 * Which user owns each client id of one document. Ownership is `logged` once it travels with a log
 * entry (or was loaded from `collab_client`); presence alone claims an id in memory only.
 */
export class ClientOwners {
	private readonly owners = new Map<number, Owner>();
	private readonly logged = new Set<number>();

	constructor(stored: Iterable<{ clientId: number; userId: Owner }> = []) {
		for (const { clientId, userId } of stored) {
			this.owners.set(clientId, userId);
			this.logged.add(clientId);
		}
	}

	/** The owner, or undefined when nobody claimed the id. */
	owner(clientId: number): Owner | undefined {
		return this.owners.get(clientId);
	}

	isLogged(clientId: number): boolean {
		return this.logged.has(clientId);
	}

	/** Records ownership; `logged` when it is stored or rides in a log entry about to be stored. */
	record(clientIds: Iterable<number>, userId: Owner, logged: boolean): void {
		for (const id of clientIds) {
			const known = this.owners.get(id);
			if (known !== undefined && known !== userId)
				throw new Error(`client id ${id} is owned by another`);
			this.owners.set(id, userId);
			if (logged) this.logged.add(id);
		}
	}

	/**
	 * Takes ownership as stored (`collab_client`), over any claim held in memory only: what another
	 * instance committed first is the truth.
	 */
	learn(stored: Iterable<{ clientId: number; userId: Owner }>): void {
		for (const { clientId, userId } of stored) {
			this.owners.set(clientId, userId);
			this.logged.add(clientId);
		}
	}

	get size(): number {
		return this.owners.size;
	}
}

/**
 * Presence claims an id: the stock provider announces its awareness state (under its document's
 * client id) right after connecting, before any edit, so whoever learns the id from presence
 * cannot take it first. False when another user owns it: drop that awareness entry.
 */
export function claimByPresence(owners: ClientOwners, clientId: number, userId: string): boolean {
	const owner = owners.owner(clientId);
	if (owner === undefined) owners.record([clientId], userId, false);
	return owner === undefined || owner === userId;
}

/**
 * The server writes (governance mirror, rota weeks) under its document's client id, which it owns
 * (null). An id some user already owns is replaced first. Returns the id to record with the
 * server's next log entry, or null when it is logged already.
 */
export function reserveServerClientId(doc: Y.Doc, owners: ClientOwners): number | null {
	while (owners.owner(doc.clientID) !== undefined && owners.owner(doc.clientID) !== null) {
		doc.clientID = randomClientId();
	}
	if (owners.owner(doc.clientID) === undefined) owners.record([doc.clientID], null, false);
	return owners.isLogged(doc.clientID) ? null : doc.clientID;
}

function randomClientId(): number {
	return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

export interface GuardInput {
	/** The update as y-websocket sends it (v1 encoding). */
	update: Uint8Array;
	/** `Y.decodeUpdate(update)` when the caller has it already (the scratch check decodes too). */
	decoded?: DecodedUpdate;
	/** The room's document: what the server holds (its state vector). */
	doc: Y.Doc;
	owners: ClientOwners;
	userId: string;
}

/**
 * Decides whether `userId` may apply `update` to `doc`:
 * - a struct adding clocks under a client id another user (or the server) owns: 'foreign-client';
 *   clocks the server holds already are ignored, as applying them changes nothing;
 * - a delete range past what the server holds once this update's own structs are in:
 *   'delete-beyond-known' (deleting a colleague's existing text is normal editing);
 * - a gap in a client's clocks, or a reference to an item the server does not hold and the
 *   update does not bring: pending, so it must wait for this connection's next updates;
 * - ok, with the client ids it claims for the sender (new ones and presence-only ones).
 */
export function checkUpdate(input: GuardInput): Verdict {
	let decoded = input.decoded;
	if (decoded === undefined) {
		try {
			decoded = Y.decodeUpdate(input.update);
		} catch {
			return { ok: false, reason: 'malformed', clientId: null };
		}
	}
	const { owners, userId } = input;
	const store = input.doc.store;
	const held = new Map<number, number>();
	const stateOf = (client: number): number => {
		let state = held.get(client);
		if (state === undefined) {
			state = Y.getState(store, client);
			held.set(client, state);
		}
		return state;
	};

	// Pass 1: how far each client's structs reach without a gap, and whose clocks they add to.
	const reach = new Map<number, number>();
	const claims: number[] = [];
	let gap = false;
	let client = -1;
	let next = 0; // the clock the current client's next struct starts at
	let reached = 0;
	const endRun = (): Verdict | null => {
		if (client === -1) return null;
		reach.set(client, reached);
		if (next <= stateOf(client)) return null; // nothing new: applying it changes nothing
		const owner = owners.owner(client);
		if (owner !== undefined && owner !== userId) {
			return { ok: false, reason: 'foreign-client', clientId: client };
		}
		if (!owners.isLogged(client)) claims.push(client);
		return null;
	};
	for (const struct of decoded.structs) {
		const { client: c, clock } = struct.id;
		if (c !== client) {
			const refused = endRun();
			if (refused !== null) return refused;
			// Yjs keeps only the last run of a client that appears twice: no honest encoder does that.
			if (reach.has(c)) return { ok: false, reason: 'malformed', clientId: c };
			client = c;
			reached = stateOf(c);
		} else if (clock !== next) {
			return { ok: false, reason: 'malformed', clientId: c };
		}
		next = clock + struct.length;
		if (struct instanceof Y.Skip) continue;
		if (clock > reached) gap = true;
		else if (next > reached) reached = next;
	}
	const refused = endRun();
	if (refused !== null) return refused;
	if (gap) return { pending: true };

	// Pass 2: every new item's origins and parent are held, or come with this update.
	const known = (c: number) => reach.get(c) ?? stateOf(c);
	for (const struct of decoded.structs) {
		if (!(struct instanceof Y.Item)) continue;
		const { client: c, clock } = struct.id;
		// No skipping what the server holds already: Yjs asks for an item's origins and parent before
		// it looks whether it holds the item (integrateStructs), and an unknown one sends it pending.
		const missing =
			lacks(struct.origin, c, clock, known) ??
			lacks(struct.rightOrigin, c, clock, known) ??
			lacks(struct.parent instanceof Y.ID ? struct.parent : null, c, clock, known);
		if (missing === 'malformed') return { ok: false, reason: 'malformed', clientId: c };
		if (missing === 'pending') return { pending: true };
	}

	// Pass 3: the delete set names only clocks that exist once this update is in.
	for (const [c, ranges] of decoded.ds.clients) {
		const limit = known(c);
		for (const { clock, len } of ranges) {
			if (clock + len > limit) return { ok: false, reason: 'delete-beyond-known', clientId: c };
		}
	}
	return { ok: true, claims };
}

/**
 * Whether an item's reference can be resolved once the update is in: 'pending' when it names an
 * item the server lacks, 'malformed' when it names the item's own client at or after itself.
 */
function lacks(
	ref: Y.ID | null,
	client: number,
	clock: number,
	known: (client: number) => number
): 'pending' | 'malformed' | null {
	if (ref === null) return null;
	if (ref.client === client) return ref.clock >= clock ? 'malformed' : null;
	return ref.clock >= known(ref.client) ? 'pending' : null;
}

export interface PendingLimits {
	/** Updates held for one connection before it is refused. */
	maxUpdates: number;
	/** Bytes held for one connection before it is refused. */
	maxBytes: number;
}

const PENDING_LIMITS: PendingLimits = { maxUpdates: 64, maxBytes: 1024 * 1024 };

export type Admission =
	/** Apply these, in order, each with its claims (recorded for the sender before applying). */
	| { ok: true; apply: { update: Uint8Array; claims: number[] }[] }
	| {
			ok: false;
			reason:
				| 'foreign-client'
				| 'delete-beyond-known'
				| 'malformed'
				| 'too-much-pending'
				/** Set by the room, not the guard: see `Room.newClientIds`. */
				| 'too-many-client-ids';
			clientId: number | null;
	  };

/**
 * One connection's updates that wait for a missing dependency, kept out of the room's document (in
 * its store, Yjs would merge them with later updates and let them shadow honest ones).
 */
export class PendingUpdates {
	private held: Uint8Array[] = [];
	private heldBytes = 0;

	constructor(private readonly limits: PendingLimits = PENDING_LIMITS) {}

	get size(): number {
		return this.held.length;
	}

	get bytes(): number {
		return this.heldBytes;
	}

	/**
	 * Decides on an update of this connection: what to apply now (the update, or it merged with
	 * what was held once the gap is filled), or why to refuse. A held update stays held.
	 */
	admit(input: GuardInput): Admission {
		if (this.held.length > 0) {
			const merged = Y.mergeUpdates([...this.held, input.update]);
			const together = checkUpdate({ ...input, update: merged, decoded: undefined });
			if ('pending' in together) return this.alone(input);
			if (!together.ok) return together;
			this.clear();
			return { ok: true, apply: [{ update: merged, claims: together.claims }] };
		}
		return this.alone(input);
	}

	/**
	 * Tries the held updates again after the document moved on for other reasons (another
	 * connection's or instance's update brought what they wait for).
	 */
	retry(input: Omit<GuardInput, 'update' | 'decoded'>): Admission {
		if (this.held.length === 0) return { ok: true, apply: [] };
		const merged = this.held.length === 1 ? this.held[0]! : Y.mergeUpdates(this.held);
		const verdict = checkUpdate({ ...input, update: merged });
		if ('pending' in verdict) return { ok: true, apply: [] };
		if (!verdict.ok) return verdict;
		this.clear();
		return { ok: true, apply: [{ update: merged, claims: verdict.claims }] };
	}

	private alone(input: GuardInput): Admission {
		const verdict = checkUpdate(input);
		if ('pending' in verdict) {
			if (
				this.held.length + 1 > this.limits.maxUpdates ||
				this.heldBytes + input.update.byteLength > this.limits.maxBytes
			) {
				return { ok: false, reason: 'too-much-pending', clientId: null };
			}
			this.held.push(input.update);
			this.heldBytes += input.update.byteLength;
			return { ok: true, apply: [] };
		}
		if (!verdict.ok) return verdict;
		return { ok: true, apply: [{ update: input.update, claims: verdict.claims }] };
	}

	clear(): void {
		this.held = [];
		this.heldBytes = 0;
	}
}
