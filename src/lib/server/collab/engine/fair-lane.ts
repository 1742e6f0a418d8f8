import { Buckets } from './bucket';

/** What the lane needs of a connection: its user, whether it is still open, and its socket's flow. */
export interface LaneConnection {
	readonly capability: { readonly userId: string };
	readonly socket: { readonly readyState: number; pause(): void; resume(): void };
}

const OPEN = 1;

interface Queued<C> {
	connection: C;
	bytes: number;
	run: () => void;
}

/**
 * Messages of members who send more than `perSecond` a second (past a burst) wait in a queue that
 * is worked through in slices of `sliceMs`, between the event loop's turns: everyone else's
 * messages, and the database's answers their commits wait for, are handled first. A member's flood
 * is still handled, in order and in full, with whatever time is left; it no longer makes everyone's
 * edits wait behind it. Honest pages send a few messages a second (an edit and a cursor per
 * keystroke), so they never queue.
 *
 * Order holds per connection: once a connection has a message queued, its next ones queue behind
 * it. A connection with `maxQueuedBytes` or `maxQueued` waiting stops being read (its socket is
 * paused, so TCP slows the sender down) until its queue is empty. A message queued for a connection
 * that has closed since, or been closed by the server for what it sent, is dropped: nothing it sent
 * after a refusal is applied, and a client that went away sends its unsaved edits again when it
 * comes back (Yjs sync).
 */
export class FairLane<C extends LaneConnection> {
	private readonly budgets: Buckets;
	private queue: Queued<C>[] = [];
	private head = 0;
	/** Per connection: messages and bytes waiting, and whether its socket is paused. */
	private readonly waiting = new Map<C, { count: number; bytes: number; paused: boolean }>();
	private scheduled = false;

	constructor(
		private readonly limits: {
			perSecond: number;
			burst: number;
			sliceMs: number;
			maxQueued: number;
			maxQueuedBytes: number;
		},
		/** A message's handling threw (it never should: the room's own checks catch what they refuse). */
		private readonly report: (error: unknown) => void
	) {
		this.budgets = new Buckets(limits.perSecond, limits.burst);
	}

	/**
	 * Runs `run` (the handling of one message of `bytes`) now, or after everyone else's. Returns
	 * whether it ran now.
	 */
	submit(connection: C, bytes: number, run: () => void): boolean {
		const waiting = this.waiting.get(connection);
		if (waiting === undefined && this.budgets.take(connection.capability.userId)) {
			run();
			return true;
		}
		const entry = waiting ?? { count: 0, bytes: 0, paused: false };
		entry.count++;
		entry.bytes += bytes;
		this.waiting.set(connection, entry);
		this.queue.push({ connection, bytes, run });
		if (
			!entry.paused &&
			(entry.count >= this.limits.maxQueued || entry.bytes >= this.limits.maxQueuedBytes)
		) {
			entry.paused = true;
			connection.socket.pause();
		}
		this.schedule();
		return false;
	}

	/** Messages waiting, all connections together. */
	get size(): number {
		return this.queue.length - this.head;
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => {
			this.scheduled = false;
			this.drain();
		});
	}

	private drain(): void {
		const until = performance.now() + this.limits.sliceMs;
		while (this.head < this.queue.length && performance.now() < until) {
			const { connection, bytes, run } = this.queue[this.head]!;
			this.queue[this.head++] = undefined as unknown as Queued<C>;
			const entry = this.waiting.get(connection)!;
			entry.count--;
			entry.bytes -= bytes;
			if (entry.count === 0) {
				this.waiting.delete(connection);
				// Closing too: the client's closing frame must still be read.
				if (entry.paused) connection.socket.resume();
			}
			try {
				if (connection.socket.readyState === OPEN) run();
			} catch (error) {
				this.report(error);
			}
		}
		if (this.head > 1024 && this.head * 2 > this.queue.length) {
			this.queue = this.queue.slice(this.head);
			this.head = 0;
		}
		if (this.head < this.queue.length) this.schedule();
	}
}
