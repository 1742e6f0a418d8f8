import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './user';

/** A password reset link, the Lucia way: single use, short-lived, only SHA-256 (hex) kept. */
export const passwordReset = pgTable(
	'password_reset',
	{
		tokenHash: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		expiresAt: timestamp({ withTimezone: true }).notNull()
	},
	(t) => [index().on(t.userId)]
);
