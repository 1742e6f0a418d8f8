import * as idb from 'lib0/indexeddb';
import * as Y from 'yjs';

/**
 * The checks on a document's offline copy (y-indexeddb's database) before it is used: a copy whose
 * updates do not decode, or that lacks updates others depend on (partial), is deleted and loaded
 * again from the server, never shown. Beside the updates, y-indexeddb's `custom` store keeps when
 * the copy was last in step with the server (`syncedAt`); a copy that never was is not shown as
 * the day's data while offline.
 */
export type CopyCheck =
	| { state: 'none' }
	| { state: 'kept'; syncedAt: Date | null }
	| { state: 'broken'; reason: 'unreadable' | 'partial' };

export const SYNCED_AT_KEY = 'syncedAt';

/** Whether the stored updates make a whole document (every dependency present). */
export function checkUpdates(updates: readonly Uint8Array[]): 'ok' | 'unreadable' | 'partial' {
	const scratch = new Y.Doc();
	try {
		for (const update of updates) Y.applyUpdate(scratch, update);
		const store = scratch.store as unknown as { pendingStructs: unknown; pendingDs: unknown };
		return store.pendingStructs !== null || store.pendingDs !== null ? 'partial' : 'ok';
	} catch {
		return 'unreadable';
	} finally {
		scratch.destroy();
	}
}

async function databaseExists(name: string): Promise<boolean | null> {
	if (typeof indexedDB.databases !== 'function') return null;
	return (await indexedDB.databases()).some((db) => db.name === name);
}

/** Reads and checks the offline copy named `name`; deletes it when it is broken. */
export async function inspectCopy(name: string): Promise<CopyCheck> {
	if ((await databaseExists(name)) === false) return { state: 'none' };
	const db = await idb.openDB(name, (made) =>
		idb.createStores(made, [['updates', { autoIncrement: true }], ['custom']])
	);
	let updates: Uint8Array[] = [];
	let syncedAt: unknown = undefined;
	try {
		const [store, custom] = idb.transact(db, ['updates', 'custom'], 'readonly');
		updates = (await idb.getAll(store!)) as Uint8Array[];
		syncedAt = await idb.get(custom!, SYNCED_AT_KEY);
	} catch {
		updates = [new Uint8Array([255])]; // unreadable store: treated as a broken copy
	} finally {
		db.close();
	}
	if (updates.length === 0) return { state: 'none' };
	const verdict = checkUpdates(updates);
	if (verdict !== 'ok') {
		await idb.deleteDB(name);
		return { state: 'broken', reason: verdict };
	}
	const at = typeof syncedAt === 'string' ? new Date(syncedAt) : null;
	return { state: 'kept', syncedAt: at !== null && !Number.isNaN(at.getTime()) ? at : null };
}
