import { date, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { team } from './team';

/** Read model: members' absences as kept in the caseload document (leave, sickness, training). */
export const absence = pgTable(
	'absence',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		id: text().notNull(),
		memberId: text().notNull(),
		kind: text().notNull(),
		/** First and last day, inclusive. */
		startsOn: date({ mode: 'string' }).notNull(),
		endsOn: date({ mode: 'string' }).notNull(),
		/** Minutes after midnight on the first day when it starts; null: the whole day. */
		startsAt: integer(),
		/** Minutes after midnight on the last day when it ends; null: the whole day. */
		endsAt: integer()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.id] })]
);

export type AbsenceRow = typeof absence.$inferSelect;
