import * as Y from 'yjs';
import { encodeSyncMessage, syncStep2, syncUpdate } from './protocol';

/** A document's whole state encoded, with its state vector (`Y.encodeStateVector`). */
export interface WholeEncoding {
	update: Uint8Array;
	vector: Uint8Array;
}

/**
 * Sync answers from one encoding of the whole document made at some point (the base), and the
 * updates the document applied since, merged into one as newcomers come. Applied in order they are
 * the document as it is now, so nobody waits for a fresher encoding and nobody gets a stale one.
 *
 * The answer's sync step 2 always comes last: a stock client counts itself synced when it arrives
 * (and Kring's pages then read the document), so everything must be in by then. What comes first
 * may wait in the client for what it builds on (Yjs keeps it pending), and is applied with step 2.
 *
 * - A newcomer (an empty state vector) gets everything since, then the base: a reconnect storm
 *   encodes a document once instead of once per newcomer, even while it changes.
 * - A client that holds all of the base (its state vector covers the base's) gets what it lacks
 *   of the updates since, then the base's deletions: that costs what those updates weigh, where
 *   an exact answer walks the whole document for its deletions (Kring's client asks after its edits
 *   to learn when they are saved).
 * - Anyone else gets the exact answer, made by the caller.
 *
 * The updates since are dropped with the base once they weigh more than `ratio` of it and more
 * than `minBytes` (or number more than `maxUpdates`): the next request then pays for one fresh
 * encoding. Merging the updates since costs what they weigh at every request that follows a
 * change, and an encoding what the document weighs, once: under the long fuzz a quarter of a
 * 500 KiB document, merged again some twenty times a second, was 7 % of the server's time; a
 * twentieth costs a fresh encoding every few seconds instead.
 */
export class WholeState {
	/** The whole state as of the last reset, with its state vector encoded and decoded. */
	private base: {
		update: Uint8Array;
		message: Uint8Array;
		encodedVector: Uint8Array;
		vector: Map<number, number>;
	} | null = null;
	/** The base's deletions alone, made when first asked for. */
	private deletions: Uint8Array | null = null;
	/** The updates since, merged as far as the last request; and those applied after it. */
	private merged: Uint8Array | null = null;
	private unmerged: Uint8Array[] = [];
	private sinceBytes = 0;
	private sinceCount = 0;
	/** The update message of everything since, while nothing changed since it was made. */
	private tail: Uint8Array | null = null;

	constructor(
		private readonly limits: { ratio: number; minBytes?: number; maxUpdates: number } = {
			ratio: 0.05,
			minBytes: 16_384,
			maxUpdates: 500
		}
	) {}

	/** Starts again from `state` (the document as of now), or from nothing. */
	reset(state: WholeEncoding | null): void {
		this.base =
			state === null
				? null
				: {
						update: state.update,
						message: encodeSyncMessage(syncStep2, state.update),
						encodedVector: state.vector,
						vector: Y.decodeStateVector(state.vector)
					};
		this.deletions = null;
		this.merged = null;
		this.unmerged = [];
		this.sinceBytes = 0;
		this.sinceCount = 0;
		this.tail = null;
	}

	/** An update the document has just applied (its 'update' event). */
	applied(update: Uint8Array): void {
		if (this.base === null) return;
		this.unmerged.push(update);
		this.tail = null;
		this.sinceBytes += update.length;
		this.sinceCount++;
		if (
			this.sinceCount > this.limits.maxUpdates ||
			this.sinceBytes >
				Math.max(this.base.update.length * this.limits.ratio, this.limits.minBytes ?? 0)
		)
			this.reset(null);
	}

	/**
	 * The messages that give a client with state vector `vector` (decoded: `theirs`) what it lacks,
	 * or null when the caller must encode the exact answer. `encode` encodes the whole document as
	 * it is now, when there is no base.
	 */
	answer(
		vector: Uint8Array,
		theirs: Map<number, number>,
		encode: () => WholeEncoding
	): Uint8Array[] | null {
		if (this.base === null) this.reset(encode());
		const base = this.base!;
		if (theirs.size === 0)
			return this.sinceCount === 0 ? [base.message] : [this.since(), base.message];
		for (const [client, clock] of base.vector) if ((theirs.get(client) ?? 0) < clock) return null;
		this.deletions ??= encodeSyncMessage(syncStep2, Y.diffUpdate(base.update, base.encodedVector));
		if (this.sinceCount === 0) return [this.deletions];
		this.since();
		return [encodeSyncMessage(syncUpdate, Y.diffUpdate(this.merged!, vector)), this.deletions];
	}

	/** The update message of everything since the base. */
	private since(): Uint8Array {
		if (this.tail === null) {
			this.merged = Y.mergeUpdates(
				this.merged === null ? this.unmerged : [this.merged, ...this.unmerged]
			);
			this.unmerged = [];
			this.tail = encodeSyncMessage(syncUpdate, this.merged);
		}
		return this.tail;
	}
}
