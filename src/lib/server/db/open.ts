import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema';

/** The one database type the app codes against, whichever driver is underneath. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
	db: Db;
	/**
	 * What the live board's log is written on (PostgresDocStore.append): on Postgres, its own few
	 * connections, one per commit in flight, so that a commit never waits for a pooled connection
	 * behind page loads, sign-ins, WebSocket authorisations or the read model; on the embedded
	 * PGlite (one connection in all), `db` itself.
	 */
	log: Db;
	kind: 'pglite' | 'postgres';
	migrate(): Promise<void>;
	close(): Promise<void>;
}

const MIGRATIONS_DIR = path.resolve('drizzle');
/** The log's own connections: as many as the commits in flight (collab engine's `commitsInFlight`). */
const LOG_CONNECTIONS = 4;

/**
 * Opens Postgres through postgres.js when a URL is given, otherwise an embedded PGlite database
 * (persisted in `dataDir`, or in memory when `dataDir` is null). Same schema, same migrations.
 */
export function openDatabase(options: { url: string | null; dataDir: string | null }): Database {
	if (options.url !== null) {
		const client = postgres(options.url, { max: 10, onnotice: () => {} });
		const logClient = postgres(options.url, { max: LOG_CONNECTIONS, onnotice: () => {} });
		const db = drizzlePostgres(client, { schema, casing: 'snake_case' });
		return {
			db,
			log: drizzlePostgres(logClient, { schema, casing: 'snake_case' }),
			kind: 'postgres',
			migrate: () => migratePostgres(db, { migrationsFolder: MIGRATIONS_DIR }),
			close: async () => {
				await Promise.all([client.end({ timeout: 5 }), logClient.end({ timeout: 5 })]);
			}
		};
	}
	if (options.dataDir !== null) fs.mkdirSync(options.dataDir, { recursive: true });
	const client = new PGlite(options.dataDir ?? undefined);
	const db = drizzlePglite(client, { schema, casing: 'snake_case' });
	return {
		db,
		log: db,
		kind: 'pglite',
		migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_DIR }),
		close: () => client.close()
	};
}

export async function ping(db: Db): Promise<void> {
	await db.execute(sql`select 1`);
}
