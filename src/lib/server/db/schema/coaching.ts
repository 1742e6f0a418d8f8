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
		since: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/**
		 * A coach who accepted an invitation waits (`pending`) until the team adopts the decision
		 * giving them access (`active`); taking it back is a decision too, and deletes the row.
		 */
		status: text().$type<'pending' | 'active'>().notNull().default('active'),
		/** The decision that gives (or gave) the access. */
		decisionId: text()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.userId] }), index().on(t.userId)]
);
