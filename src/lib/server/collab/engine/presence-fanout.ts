import * as awarenessProtocol from 'y-protocols/awareness';
import { RELAY_BYTES, RELAY_ENTRIES, splitRelays } from './presence-policy';
import { encodeAwarenessMessage } from './protocol';

/**
 * The presence of `ids` as awareness messages, each within RELAY_ENTRIES and RELAY_BYTES, so that
 * a stock client's echo of any of them is a message the server accepts.
 */
export function presenceMessages(
	awareness: awarenessProtocol.Awareness,
	ids: readonly number[]
): { messages: Uint8Array[]; relays: number[][] } {
	const known = ids.filter((id) => awareness.meta.has(id));
	const { relays } = splitRelays(
		known,
		(id) => awarenessProtocol.encodeAwarenessUpdate(awareness, [id]).byteLength,
		{ maxEntries: RELAY_ENTRIES, maxBytes: RELAY_BYTES }
	);
	const messages = relays.map((relay) =>
		encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, relay))
	);
	return { messages, relays };
}

/**
 * Presence of a room sent out in batches: the client ids that changed during a short window go
 * out together, each with its latest state (a removal as a null state), in one message to every
 * connection (split, when large, into messages a client's echo of which the server accepts).
 * Thirty people moving their caret once a second cost a few messages per connection per second,
 * not thirty.
 */
export class PresenceFanout {
	private readonly changed = new Set<number>();
	private timer: ReturnType<typeof setTimeout> | null = null;
	private destroyed = false;

	constructor(
		private readonly awareness: awarenessProtocol.Awareness,
		/** Gets the message, and the client ids it speaks for. */
		private readonly broadcast: (message: Uint8Array, ids: number[]) => void,
		private readonly windowMs: number
	) {
		// Awareness.destroy() tells 'destroy' first, then clears the server's own state: ignore that.
		awareness.on('destroy', () => this.destroy());
	}

	/** Client ids whose state was added, updated or removed. */
	add(ids: readonly number[]): void {
		if (this.destroyed || ids.length === 0) return;
		for (const id of ids) this.changed.add(id);
		this.timer ??= setTimeout(() => this.flush(), this.windowMs);
	}

	/** Sends what changed since the last batch, now. */
	flush(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		if (this.destroyed || this.changed.size === 0) return;
		const ids = [...this.changed];
		this.changed.clear();
		const { messages, relays } = presenceMessages(this.awareness, ids);
		messages.forEach((message, i) => this.broadcast(message, relays[i]!));
	}

	/** Stops for good: a pending batch is dropped (the room has no one left to tell). */
	destroy(): void {
		this.destroyed = true;
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		this.changed.clear();
	}

	/** Whether a batch is waiting for its window to end. */
	get waiting(): boolean {
		return this.timer !== null;
	}
}
