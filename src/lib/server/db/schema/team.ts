import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const team = pgTable('team', {
	id: text().primaryKey(),
	name: text().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
	/** The team's own rule, set by decision: how long before a visit a swap may still be taken. */
	swapNoticeMinutes: integer().notNull().default(120),
	/** A team made by splitting another one (a decision of that team). */
	splitFrom: text()
});

export type Team = typeof team.$inferSelect;
