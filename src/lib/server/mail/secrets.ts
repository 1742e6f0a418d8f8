import { eq } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { serverSecret } from '$lib/server/db/schema';

const cache = new WeakMap<Db, Map<string, Promise<string>>>();

/**
 * A secret the server makes for itself once and keeps in the database, so every instance and
 * every restart uses the same one. The first instance to insert it wins; the others read it.
 */
export function serverSecretValue(db: Db, name: string, make: () => string): Promise<string> {
	let byName = cache.get(db);
	if (byName === undefined) cache.set(db, (byName = new Map()));
	let value = byName.get(name);
	if (value === undefined) {
		value = (async () => {
			await db.insert(serverSecret).values({ name, value: make() }).onConflictDoNothing();
			const rows = await db.select().from(serverSecret).where(eq(serverSecret.name, name));
			return rows[0]!.value;
		})();
		value.catch(() => byName.delete(name));
		byName.set(name, value);
	}
	return value;
}
