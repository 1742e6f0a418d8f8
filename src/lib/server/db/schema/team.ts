import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const team = pgTable('team', {
	id: text().primaryKey(),
	name: text().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	/** A team made by splitting another one (a decision of that team). */
	splitFrom: text()
});

export type Team = typeof team.$inferSelect;
