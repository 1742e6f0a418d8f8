import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

/**
 * A kaizen card's lesson, shared by its team with the other teams of the organisation (every team
 * of this installation) and with its own coaches. The team's own words, checked by the server to
 * hold no client data of its caseload (src/lib/domain/client-data.ts) before it is stored.
 */
export const lesson = pgTable(
	'lesson',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		/** The card it came from, in the team's kaizen document. */
		cardId: text().notNull(),
		title: text().notNull(),
		text: text().notNull(),
		publishedBy: text().references(() => user.id, { onDelete: 'set null' }),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.at), index().on(t.teamId)]
);
