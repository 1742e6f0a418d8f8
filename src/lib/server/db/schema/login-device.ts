import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './user';

/**
 * A browser that has logged in to an account before (OWASP's "device cookie"). The browser holds a
 * random token; only its SHA-256 (hex) is kept. A login attempt for the account that carries it is
 * throttled on its own and not by the account-wide lockout, so a stranger who fails on purpose
 * cannot lock the owner out of the devices they already use.
 */
export const loginDevice = pgTable(
	'login_device',
	{
		tokenHash: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull(),
		lastUsedAt: timestamp({ withTimezone: true }).notNull()
	},
	(t) => [index().on(t.userId)]
);

export type LoginDevice = typeof loginDevice.$inferSelect;
