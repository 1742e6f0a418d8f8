import { integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { team } from './team';

/** Read model: each client's weekly visit pattern, one row per slot (see `client`). */
export const visitPattern = pgTable(
	'visit_pattern',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		clientId: text().notNull(),
		position: integer().notNull(),
		/** ISO weekday, 1 = Monday. */
		weekday: integer().notNull(),
		/** Minutes after midnight. */
		start: integer().notNull(),
		minutes: integer().notNull(),
		qualification: text().notNull()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.clientId, t.position] })]
);

export type VisitPatternRow = typeof visitPattern.$inferSelect;
