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
