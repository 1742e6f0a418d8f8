/**
 * What the collab server says about itself through awareness, on its own client id: clients
 * cannot speak for that id, and the server strips this key from every client's own state, so a
 * state carrying it can only come from the server.
 *
 * `{ kring: { storage: 'unavailable', since } }` while updates of the document wait for the
 * database; `{ kring: { storage: 'isolated', since } }` once the database refused one of its
 * updates (the document is read-only until everyone has closed it and it reloads from what was
 * saved; the refused update is not in it); no state at all once everything is saved.
 */
const SERVER_KEY = 'kring';

export interface ServerNotice {
	storage: 'unavailable' | 'isolated';
	/** When saving started to fail or stall, or when the update was refused (ISO 8601). */
	since: string;
}

export function storageUnavailableState(since: Date): { [SERVER_KEY]: ServerNotice } {
	return { [SERVER_KEY]: { storage: 'unavailable', since: since.toISOString() } };
}

export function isolatedState(since: Date): { [SERVER_KEY]: ServerNotice } {
	return { [SERVER_KEY]: { storage: 'isolated', since: since.toISOString() } };
}

/** Whether an awareness state is the server's own entry (not a person: no presence, no caret). */
export function isServerState(state: unknown): boolean {
	return typeof state === 'object' && state !== null && SERVER_KEY in state;
}

function noticeSince(states: Iterable<unknown>, storage: ServerNotice['storage']): string | null {
	for (const state of states) {
		if (!isServerState(state)) continue;
		const notice = (state as Record<string, unknown>)[SERVER_KEY] as Partial<ServerNotice> | null;
		if (notice?.storage === storage) return typeof notice.since === 'string' ? notice.since : '';
	}
	return null;
}

/** Since when the server cannot save this document, or null when it can (or never said). */
export function storageUnavailableSince(states: Iterable<unknown>): string | null {
	return noticeSince(states, 'unavailable');
}

/** Since when the document is isolated (read-only: the server refused an update), or null. */
export function isolatedSince(states: Iterable<unknown>): string | null {
	return noticeSince(states, 'isolated');
}
