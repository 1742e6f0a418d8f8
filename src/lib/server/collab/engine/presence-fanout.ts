import * as awarenessProtocol from 'y-protocols/awareness';
import { encodeAwarenessMessage } from './protocol';

/**
 * Presence of a room sent out in batches: the client ids that changed during a short window go
 * out together, each with its latest state (a removal as a null state), in one message to every
 * connection. Thirty people moving their caret once a second cost a few messages per connection
 * per second, not thirty.
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
		this.broadcast(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)), ids);
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
