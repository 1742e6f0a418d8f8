import { index, integer, jsonb, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './user';

/**
 * Every e-mail Kring sends, queued here first (in the transaction of what caused it), then sent
 * by the delivery loop with retries. Without SMTP_URL the rows simply stay, and the dev page
 * (/dev/outbox) lists them.
 */
export const outbox = pgTable(
	'outbox',
	{
		id: serial().primaryKey(),
		userId: text().references(() => user.id, { onDelete: 'cascade' }),
		to: text().notNull(),
		subject: text().notNull(),
		text: text().notNull(),
		html: text().notNull(),
		/** Extra headers (List-Unsubscribe, Content-Language). */
		headers: jsonb().$type<Record<string, string>>().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/** Null once sent or given up. */
		nextAttemptAt: timestamp({ withTimezone: true }),
		attempts: integer().notNull().default(0),
		sentAt: timestamp({ withTimezone: true }),
		lastError: text()
	},
	(t) => [index().on(t.nextAttemptAt)]
);

export type OutboxMail = typeof outbox.$inferSelect;
