import * as Y from 'yjs';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { DocStore } from '../../src/lib/server/collab/engine/store';
import { openDatabase } from '../../src/lib/server/db/open';

/** The document as a fresh load from the store would rebuild it: the snapshot, then the log. */
export async function loadStored(store: DocStore, docName: string): Promise<Y.Doc> {
	const stored = await store.load(docName);
	const doc = new Y.Doc();
	if (stored.snapshot !== null) Y.applyUpdate(doc, stored.snapshot);
	for (const { update } of stored.updates) Y.applyUpdate(doc, update);
	return doc;
}

/** The same, read through a connection of its own, as another process would (Postgres URL). */
export async function loadStoredAt(url: string, docName: string): Promise<Y.Doc> {
	const check = openDatabase({ url, dataDir: null });
	try {
		return await loadStored(new PostgresDocStore(check.db), docName);
	} finally {
		await check.close();
	}
}
