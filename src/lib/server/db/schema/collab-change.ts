import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './user';

/**
 * What each logged update touched, kept when the log itself is compacted: the entry (the first two
 * steps of the path, e.g. `clients/<id>`) and the field below it (`name`, `carePlan`, `firstVisit/falls`;
 * empty for the entry itself), with who and when. No values, so it holds no client data beyond ids.
 * Written in the same transaction as the `collab_update` rows it describes.
 */
export const collabChange = pgTable(
	'collab_change',
	{
		docName: text().notNull(),
		seq: bigint({ mode: 'number' }).notNull(),
		entry: text().notNull(),
		field: text().notNull(),
		userId: text().references(() => user.id, { onDelete: 'set null' }),
		at: timestamp({ withTimezone: true }).notNull()
	},
	(t) => [index().on(t.docName, t.entry, t.at)]
);
