/**
 * What the collab server says about itself through awareness, on its own client id: clients
 * cannot speak for that id, and the server strips this key from every client's own state, so a
 * state carrying it can only come from the server.
 *
 * `{ kring: { storage: 'unavailable', since } }` while updates of the document wait for the
 * database; no state at all once everything is saved.
 */
export const SERVER_KEY = 'kring';

export interface ServerNotice {
	storage: 'unavailable';
	/** When saving started to fail or stall (ISO 8601). */
	since: string;
}

export function storageUnavailableState(since: Date): { [SERVER_KEY]: ServerNotice } {
	return { [SERVER_KEY]: { storage: 'unavailable', since: since.toISOString() } };
}

/** Whether an awareness state is the server's own entry (not a person: no presence, no caret). */
export function isServerState(state: unknown): boolean {
	return typeof state === 'object' && state !== null && SERVER_KEY in state;
}

/** Since when the server cannot save this document, or null when it can (or never said). */
export function storageUnavailableSince(states: Iterable<unknown>): string | null {
	for (const state of states) {
		if (!isServerState(state)) continue;
		const notice = (state as Record<string, unknown>)[SERVER_KEY] as Partial<ServerNotice> | null;
		if (notice?.storage === 'unavailable') return typeof notice.since === 'string' ? notice.since : '';
	}
	return null;
}
