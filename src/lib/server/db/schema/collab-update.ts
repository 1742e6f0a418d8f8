import { bigint, pgSequence, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './session';
import { user } from './user';

/**
 * Where log sequence numbers come from: one sequence for every document and every instance, so
 * several processes writing the same document never collide. An instance takes a block at a time
 * (one `nextval` gives it `increment` numbers), so numbers rise within one instance but interleave
 * across instances; Yjs updates commute, so the log's order within a document does not matter.
 */
export const collabSeq = pgSequence('collab_seq', { increment: 1024, startWith: 1024 });

/**
 * The live board's write-ahead log: every Yjs update a document received, in order, with who
 * sent it (null: the server itself) and when. Compacted into `collab_snapshot` as it grows.
 */
export const collabUpdate = pgTable(
	'collab_update',
	{
		docName: text().notNull(),
		seq: bigint({ mode: 'number' }).notNull(),
		update: bytea().notNull(),
		userId: text().references(() => user.id, { onDelete: 'set null' }),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.docName, t.seq] })]
);
