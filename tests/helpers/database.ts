import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/lib/server/db/open';

export type TestTarget = 'pglite' | 'postgres';

/** Which database the integration suite runs on this time (scripts/test.js runs it on both). */
export function testTarget(): TestTarget {
	return process.env.KRING_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

function adminUrl(): string {
	const url = process.env.TEST_DATABASE_URL;
	if (!url) throw new Error('KRING_TEST_DB=postgres needs TEST_DATABASE_URL');
	return url;
}

/** An empty database of its own, on the suite's target: a new Postgres database, or nothing yet for PGlite. */
export async function freshDatabaseUrl(): Promise<{ url: string; dispose(): Promise<void> }> {
	const name = `kring_test_${randomBytes(6).toString('hex')}`;
	const admin = postgres(adminUrl(), { max: 1, onnotice: () => {} });
	await admin.unsafe(`create database ${name}`);
	const url = new URL(adminUrl());
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		async dispose() {
			await admin.unsafe(`drop database if exists ${name} with (force)`);
			await admin.end({ timeout: 5 });
		}
	};
}

/** A migrated, empty database for one test file, on the suite's target. */
export async function createTestDatabase(): Promise<Database & { dispose(): Promise<void> }> {
	if (testTarget() === 'pglite') {
		const database = openDatabase({ url: null, dataDir: null });
		await database.migrate();
		return { ...database, dispose: () => database.close() };
	}
	const fresh = await freshDatabaseUrl();
	const database = openDatabase({ url: fresh.url, dataDir: null });
	await database.migrate();
	return {
		...database,
		async dispose() {
			await database.close();
			await fresh.dispose();
		}
	};
}
