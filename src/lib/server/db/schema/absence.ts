import { date, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
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
		endsOn: date({ mode: 'string' }).notNull()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.id] })]
);

export type AbsenceRow = typeof absence.$inferSelect;
