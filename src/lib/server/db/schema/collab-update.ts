import { bigint, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './session';
import { user } from './user';

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
