import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const user = pgTable('user', {
	id: text().primaryKey(),
	/** Stored lower-cased and trimmed; unique. */
	email: text().notNull().unique(),
	name: text().notNull(),
	passwordHash: text().notNull(),
	/** The language last chosen or used in the app ('fr', 'en'); e-mails are written in it. */
	locale: text(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});

export type User = typeof user.$inferSelect;
