import { index, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * One failed login. `key` is `account:<email>` or `address:<ip>`, so both throttles read one table
 * and an unknown email is throttled exactly like a known one.
 */
export const loginFailure = pgTable(
	'login_failure',
	{
		id: serial().primaryKey(),
		key: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.key, t.at)]
);
