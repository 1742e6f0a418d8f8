import * as Y from 'yjs';

/**
 * What the server may hold unsaved while the database is away (`maxPendingBytes`, defaults.ts).
 * Updates are relayed only once saved, so while commits fail every accepted update waits in memory
 * (in the committer's queue and in the room's document). Past that many pending bytes, new writes
 * are refused rather than held: the writer's connection is closed with 1013 (try again later). Its
 * edit stays on its device (y-websocket reconnects with backoff, the offline copy keeps it) and is
 * sent again once the server can save. Readers stay connected. Changes the server writes itself
 * (governance mirror) are not refused: they are few and small, and their callers wait for them.
 *
 * Whether accepting this update would take the pending bytes past the cap.
 */
export function passesCap(pendingBytes: number, update: Uint8Array, cap: number): boolean {
	return pendingBytes + update.byteLength > cap && carriesChanges(update);
}

/**
 * Whether an update holds anything at all: a client catching up sends an empty one (sync step 2
 * with nothing new), which costs nothing to accept and must not get it disconnected.
 */
function carriesChanges(update: Uint8Array): boolean {
	try {
		const { structs, ds } = Y.decodeUpdate(update);
		return structs.length > 0 || ds.clients.size > 0;
	} catch {
		return true; // malformed: the safety check that follows refuses it
	}
}
