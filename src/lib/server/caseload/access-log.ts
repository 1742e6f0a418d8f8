import { and, desc, eq, gt, inArray, isNull, lt } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { client, clientAccess } from '$lib/server/db/schema';
import { DAY_MS } from '$lib/domain/week';

/** Access to health data is traced and the trace kept six months (CNIL); older entries are deleted. */
export const ACCESS_LOG_RETENTION_DAYS = 183;
const PURGE_EVERY_MS = 60 * 60 * 1000;
let lastPurge = 0;

export interface AccessEntry {
	/** null: the whole caseload document (every card) was opened. */
	clientId: string | null;
	userId: string | null;
	at: Date;
}

/** Opening the same card again within this time (a reload, a form sent) is not traced again. */
export const ACCESS_REPEAT_MS = 5 * 60 * 1000;

const TRACES_REMEMBERED = 10_000;
/** When this process last wrote (or found) a trace, per team, card and member. */
const recentlyTraced = new Map<string, number>();

/**
 * Notes that a member opened a client's card, or (client id null) the whole caseload document;
 * purges entries past the retention now and then.
 */
export async function record(
	db: Db,
	entry: { teamId: string; clientId: string | null; userId: string },
	now = new Date()
): Promise<void> {
	// A trace this process wrote or found moments ago covers this opening too: no query for the
	// reconnects of a board, or a page's several loads.
	const key = `${entry.teamId}\u0000${entry.clientId ?? ''}\u0000${entry.userId}`;
	const seen = recentlyTraced.get(key);
	if (seen !== undefined && now.getTime() >= seen && now.getTime() - seen < ACCESS_REPEAT_MS)
		return;
	const recent = await db
		.select({ at: clientAccess.at })
		.from(clientAccess)
		.where(
			and(
				eq(clientAccess.teamId, entry.teamId),
				entry.clientId === null
					? isNull(clientAccess.clientId)
					: eq(clientAccess.clientId, entry.clientId),
				eq(clientAccess.userId, entry.userId),
				gt(clientAccess.at, new Date(now.getTime() - ACCESS_REPEAT_MS))
			)
		)
		.orderBy(desc(clientAccess.at))
		.limit(1);
	if (recent.length === 0) await db.insert(clientAccess).values({ ...entry, at: now });
	if (recentlyTraced.size >= TRACES_REMEMBERED) recentlyTraced.clear();
	recentlyTraced.set(key, (recent[0]?.at ?? now).getTime());
	if (now.getTime() - lastPurge > PURGE_EVERY_MS) {
		lastPurge = now.getTime();
		await purge(db, now);
	}
}

export async function purge(db: Db, now = new Date()): Promise<number> {
	const cutoff = new Date(now.getTime() - ACCESS_LOG_RETENTION_DAYS * DAY_MS);
	const removed = await db
		.delete(clientAccess)
		.where(lt(clientAccess.at, cutoff))
		.returning({ id: clientAccess.id });
	return removed.length;
}

/** Who opened this card, latest first. */
export async function forClient(
	db: Db,
	teamId: string,
	clientId: string,
	limit = 200
): Promise<AccessEntry[]> {
	return db
		.select({ clientId: clientAccess.clientId, userId: clientAccess.userId, at: clientAccess.at })
		.from(clientAccess)
		.where(and(eq(clientAccess.teamId, teamId), eq(clientAccess.clientId, clientId)))
		.orderBy(desc(clientAccess.at))
		.limit(limit);
}

/** The team's whole trace, latest first. */
export async function forTeam(db: Db, teamId: string, limit = 500): Promise<AccessEntry[]> {
	return db
		.select({ clientId: clientAccess.clientId, userId: clientAccess.userId, at: clientAccess.at })
		.from(clientAccess)
		.where(eq(clientAccess.teamId, teamId))
		.orderBy(desc(clientAccess.at))
		.limit(limit);
}

/**
 * The names of the clients a trace mentions, by id; only this team's clients, so a trace never
 * names another team's client.
 */
export async function readClientNames(
	db: Db,
	teamId: string,
	entries: AccessEntry[]
): Promise<Record<string, string>> {
	const ids = [...new Set(entries.flatMap((e) => (e.clientId === null ? [] : [e.clientId])))];
	if (ids.length === 0) return {};
	const names = await db
		.select({ id: client.id, name: client.name })
		.from(client)
		.where(and(eq(client.teamId, teamId), inArray(client.id, ids)));
	return Object.fromEntries(names.map((n) => [n.id, n.name]));
}
