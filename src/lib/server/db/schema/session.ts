import { customType, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './user';

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
	dataType: () => 'bytea',
	// postgres.js recognises Buffers as bytea; PGlite accepts them too (a Buffer is a Uint8Array).
	toDriver: (value) => Buffer.from(value),
	fromDriver: (value) => new Uint8Array(value)
});

/**
 * A session as the Lucia guide describes it: the token handed to the browser is `<id>.<secret>`;
 * only the SHA-256 of the secret is kept here.
 */
export const session = pgTable(
	'session',
	{
		id: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		secretHash: bytea().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull(),
		lastVerifiedAt: timestamp({ withTimezone: true }).notNull()
	},
	(t) => [index().on(t.userId)]
);

export type Session = typeof session.$inferSelect;
