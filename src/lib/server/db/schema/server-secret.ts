import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Secrets the server makes for itself at first start and shares between instances: the key that
 * signs unsubscribe links, the VAPID key pair for Web Push.
 */
export const serverSecret = pgTable('server_secret', {
	name: text().primaryKey(),
	value: text().notNull(),
	createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
});
