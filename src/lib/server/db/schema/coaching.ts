import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

/** A coach follows a team from outside: not a member, sees health figures only. */
export const coaching = pgTable(
	'coaching',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		since: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.userId] }), index().on(t.userId)]
);
