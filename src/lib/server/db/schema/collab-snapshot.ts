import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './session';

/** One compacted state per document: everything in the log up to and including `uptoSeq`. */
export const collabSnapshot = pgTable('collab_snapshot', {
	docName: text().primaryKey(),
	state: bytea().notNull(),
	uptoSeq: bigint({ mode: 'number' }).notNull(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
