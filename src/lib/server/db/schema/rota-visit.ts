import { date, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { team } from './team';

/**
 * Read model: every visit of every rota week, as last projected from the week's document
 * (`team/<teamId>/rota/<YYYY-Www>`), per member and day, for the calendar feed and the health
 * figures. Rebuildable from the documents.
 */
export const rotaVisit = pgTable(
	'rota_visit',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		/** `YYYY-Www` */
		week: text().notNull(),
		id: text().notNull(),
		clientId: text().notNull(),
		/** A member's user id, or null while unassigned. */
		carerId: text(),
		date: date({ mode: 'string' }).notNull(),
		/** Minutes after midnight, local time. */
		start: integer().notNull(),
		minutes: integer().notNull(),
		qualification: text().notNull()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.week, t.id] }), index().on(t.carerId, t.date)]
);

export type RotaVisitRow = typeof rotaVisit.$inferSelect;
