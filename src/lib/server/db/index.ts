import path from 'node:path';
import { config } from '$lib/server/config';
import { openDatabase, type Database } from './open';

export type { Db } from './open';

/** The app's database, chosen once from the configuration. Migrated by the server's `init` hook. */
export const database: Database = openDatabase({
	url: config.databaseUrl,
	dataDir: config.databaseUrl === null ? path.join(config.dataDir, 'pglite') : null
});

export const db = database.db;

let migrated: Promise<void> | null = null;

/** Migrates once, however many parts of the app ask (the init hook, the collab server in dev). */
export function ready(): Promise<void> {
	migrated ??= database.migrate();
	return migrated;
}
