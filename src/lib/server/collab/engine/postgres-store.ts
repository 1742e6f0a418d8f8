import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { collabClient, collabSnapshot, collabUpdate } from '$lib/server/db/schema';
import { insertClaims } from './client-owners';
import {
	mergeStates,
	type Announced,
	type DocStore,
	type LogEntry,
	type StoredDocument,
	type StoredOwner
} from './store';

/** The channel committed updates are announced on (Postgres LISTEN/NOTIFY). */
export const ANNOUNCE_CHANNEL = 'kring_collab';
/** Postgres refuses a NOTIFY payload of 8,000 bytes or more. */
const NOTIFY_LIMIT = 7_900;
/** Updates at most this large travel inside the announcement; larger ones are read from the log. */
const INLINE_LIMIT = 2_000;
/** What one `nextval('collab_seq')` hands out (the sequence's INCREMENT, see the schema). */
const SEQ_BLOCK = 1024;

/**
 * The announcements of one batch, each small enough for NOTIFY:
 * `{"i": instance, "d": [[docName, [seq, …], [base64 update or null, …]], …]}`.
 */
function announcements(instance: string, entries: LogEntry[]): string[] {
	const notes: string[] = [];
	let docs: [string, number[], (string | null)[]][] = [];
	let size = 0;
	const flush = () => {
		if (docs.length > 0) notes.push(JSON.stringify({ i: instance, d: docs }));
		docs = [];
		size = 0;
	};
	const base = JSON.stringify({ i: instance, d: [] }).length;
	for (const entry of entries) {
		const inline =
			entry.update.byteLength <= INLINE_LIMIT ? Buffer.from(entry.update).toString('base64') : null;
		const cost = String(entry.seq).length + (inline?.length ?? 4) + 6;
		let last = docs.at(-1);
		const extra =
			last?.[0] === entry.docName ? cost : cost + JSON.stringify(entry.docName).length + 10;
		if (base + size + extra > NOTIFY_LIMIT) {
			flush();
			last = undefined;
		}
		if (last === undefined || last[0] !== entry.docName) {
			last = [entry.docName, [], []];
			docs.push(last);
			size += JSON.stringify(entry.docName).length + 10;
		}
		last[1].push(entry.seq!);
		last[2].push(inline);
		size += cost;
	}
	flush();
	return notes;
}

/** Reads an announcement; null for one this instance sent or one it cannot read. */
export function readAnnouncement(payload: string, self: string): Announced[] | null {
	try {
		const note = JSON.parse(payload) as { i?: unknown; d?: unknown };
		if (note.i === self || !Array.isArray(note.d)) return null;
		return note.d.map((raw) => {
			const [docName, seqs, bodies] = raw as [string, number[], (string | null)[]];
			if (typeof docName !== 'string' || !Array.isArray(seqs) || !Array.isArray(bodies))
				throw new Error('shape');
			return {
				docName,
				updates: seqs.map((seq, i) => {
					const body = bodies[i];
					return {
						seq,
						update: typeof body === 'string' ? new Uint8Array(Buffer.from(body, 'base64')) : null
					};
				})
			};
		});
	} catch {
		return null;
	}
}

type Rows<T> = T[] | { rows: T[] };
const rowsOf = <T>(result: Rows<T>): T[] => (Array.isArray(result) ? result : result.rows);

/** Log rows among `seqs`, passed as one JSON parameter however many there are. */
const seqIn = (seqs: number[]) =>
	sql`${collabUpdate.seq} in (select jsonb_array_elements_text(${JSON.stringify(seqs)}::jsonb)::bigint)`;

export class PostgresDocStore implements DocStore {
	/** Free sequence numbers taken from collab_seq, as [next, end) ranges. */
	private free: [number, number][] = [];

	/**
	 * @param announceAs with an instance id, each append is announced to the other instances
	 *   (Postgres only; one embedded PGlite has no others).
	 * @param log where appends are written: the log's own connections (Database.log), so that the
	 *   commits every edit waits for never queue behind the app's other queries for a connection.
	 */
	constructor(
		private readonly db: Db,
		private readonly announceAs: string | null = null,
		private readonly log: Db = db
	) {}

	async load(docName: string): Promise<StoredDocument> {
		// One statement, so one snapshot of the three tables (a compaction committing meanwhile
		// cannot drop log rows from under it) and one round trip: a transaction of several would
		// hold a pooled connection while this process is busy, as in a crowd's arrival.
		const part = (n: 0 | 1 | 2) => sql<number>`${sql.raw(String(n))}`.as('part');
		const rows = await this.db
			.select({
				part: part(0),
				seq: collabSnapshot.uptoSeq,
				bytes: collabSnapshot.state,
				userId: sql<string | null>`null::text`.as('user_id')
			})
			.from(collabSnapshot)
			.where(eq(collabSnapshot.docName, docName))
			.unionAll(
				this.db
					.select({
						part: part(1),
						seq: collabUpdate.seq,
						bytes: collabUpdate.update,
						userId: sql<string | null>`null::text`.as('user_id')
					})
					.from(collabUpdate)
					.where(eq(collabUpdate.docName, docName))
			)
			.unionAll(
				this.db
					.select({
						part: part(2),
						seq: collabClient.clientId,
						bytes: sql<Uint8Array>`null::bytea`.as('bytes'),
						userId: collabClient.userId
					})
					.from(collabClient)
					.where(eq(collabClient.docName, docName))
			);
		const snapshot = rows.find((r) => r.part === 0);
		return {
			snapshot: snapshot?.bytes ?? null,
			snapshotVersion: snapshot?.seq ?? 0,
			updates: rows
				.filter((r) => r.part === 1)
				.sort((a, b) => a.seq - b.seq)
				.map((r) => ({ seq: r.seq, update: r.bytes })),
			owners: rows.filter((r) => r.part === 2).map((r) => ({ clientId: r.seq, userId: r.userId }))
		};
	}

	/** Sequence numbers no one else has, taken a block at a time. */
	private async take(count: number): Promise<number[]> {
		for (;;) {
			const available = this.free.reduce((n, [next, end]) => n + end - next, 0);
			if (available >= count) break;
			const blocks = Math.ceil((count - available) / SEQ_BLOCK);
			const result = await this.log.execute(
				sql`select nextval('collab_seq')::text as v from generate_series(1, ${blocks})`
			);
			for (const { v } of rowsOf(result as Rows<{ v: string }>))
				this.free.push([Number(v), Number(v) + SEQ_BLOCK]);
		}
		const seqs: number[] = [];
		while (seqs.length < count) {
			const range = this.free[0]!;
			seqs.push(range[0]++);
			if (range[0] >= range[1]) this.free.shift();
		}
		return seqs;
	}

	async append(entries: LogEntry[]): Promise<void> {
		if (entries.length === 0) return;
		const missing = entries.filter((e) => e.seq === undefined);
		if (missing.length > 0) {
			const seqs = await this.take(missing.length);
			missing.forEach((e, i) => (e.seq = seqs[i]));
		}
		const iso = (at: Date) => at.toISOString();
		const updates = entries.map((e) => ({
			d: e.docName,
			s: e.seq,
			b: Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength).toString('base64'),
			u: e.userId,
			a: iso(e.at)
		}));
		const changes = entries.flatMap((e) =>
			(e.touched ?? []).map((t) => ({
				d: e.docName,
				s: e.seq,
				e: t.entry,
				f: t.field,
				u: e.userId,
				a: iso(e.at)
			}))
		);
		const claims = entries.flatMap((e) =>
			e.claims === undefined || e.claims.length === 0
				? []
				: [{ docName: e.docName, userId: e.userId, clientIds: e.claims }]
		);
		const notes = this.announceAs === null ? [] : announcements(this.announceAs, entries);
		// One statement, so one round trip and its own transaction: the log rows, what they touched,
		// the client ids they claim, and the announcements (Postgres delivers a NOTIFY only when its
		// transaction commits).
		await this.log.execute(sql`
			with logged as (
				insert into collab_update (doc_name, seq, "update", user_id, at)
				select d, s, decode(b, 'base64'), u, a
				from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(d text, s bigint, b text, u text, a timestamptz)
			), touched as (
				insert into collab_change (doc_name, seq, entry, field, user_id, at)
				select d, s, e, f, u, a
				from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) as y(d text, s bigint, e text, f text, u text, a timestamptz)
			), ${insertClaims(claims)}
			select pg_notify(${ANNOUNCE_CHANNEL}, n) from jsonb_array_elements_text(${JSON.stringify(notes)}::jsonb) as n
		`);
	}

	async fetch(docName: string, seqs: number[]): Promise<{ seq: number; update: Uint8Array }[]> {
		if (seqs.length === 0) return [];
		return this.db
			.select({ seq: collabUpdate.seq, update: collabUpdate.update })
			.from(collabUpdate)
			.where(and(eq(collabUpdate.docName, docName), seqIn(seqs)))
			.orderBy(asc(collabUpdate.seq));
	}

	async owners(docName: string, clientIds: number[]): Promise<StoredOwner[]> {
		if (clientIds.length === 0) return [];
		return this.db
			.select({ clientId: collabClient.clientId, userId: collabClient.userId })
			.from(collabClient)
			.where(
				and(
					eq(collabClient.docName, docName),
					sql`${collabClient.clientId} in (select jsonb_array_elements_text(${JSON.stringify(clientIds)}::jsonb)::bigint)`
				)
			);
	}

	async compact(
		docName: string,
		state: Uint8Array,
		covered: number[],
		knownVersion: number
	): Promise<number> {
		const [version] = await this.take(1);
		for (;;) {
			const written = await this.db.transaction(async (tx) => {
				const [stored] = await tx
					.select({ version: collabSnapshot.uptoSeq, state: collabSnapshot.state })
					.from(collabSnapshot)
					.where(eq(collabSnapshot.docName, docName))
					.for('update');
				const now = new Date();
				if (stored === undefined) {
					const inserted = await tx
						.insert(collabSnapshot)
						.values({ docName, state, uptoSeq: version!, updatedAt: now })
						.onConflictDoNothing()
						.returning({ docName: collabSnapshot.docName });
					// Another instance wrote the first snapshot meanwhile: start again and merge it in.
					if (inserted.length === 0) return false;
				} else {
					const merged = stored.version === knownVersion ? state : mergeStates(stored.state, state);
					await tx
						.update(collabSnapshot)
						.set({ state: merged, uptoSeq: version!, updatedAt: now })
						.where(eq(collabSnapshot.docName, docName));
				}
				if (covered.length > 0) {
					await tx
						.delete(collabUpdate)
						.where(and(eq(collabUpdate.docName, docName), seqIn(covered)));
				}
				return true;
			});
			if (written) return version!;
		}
	}
}
