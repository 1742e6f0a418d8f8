import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './session';

/**
 * One compacted state per document: everything its log held when the rows it covers were deleted
 * (in the same transaction). `uptoSeq` names this version of the snapshot (a fresh log sequence
 * number each time it is written), so a writer can tell whether anyone else wrote it since.
 */
export const collabSnapshot = pgTable('collab_snapshot', {
	docName: text().primaryKey(),
	state: bytea().notNull(),
	uptoSeq: bigint({ mode: 'number' }).notNull(),
	updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
