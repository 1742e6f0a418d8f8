import { bigint, pgTable, text } from 'drizzle-orm/pg-core';

/**
 * Read model bookkeeping: how many times each document's rows were written (by any instance). An
 * instance that wrote the last version knows the rows as they stand and writes only what changed;
 * any other sees a version it did not write and rewrites the document's rows whole.
 */
export const projectionVersion = pgTable('projection_version', {
	docName: text().primaryKey(),
	version: bigint({ mode: 'number' }).notNull()
});
