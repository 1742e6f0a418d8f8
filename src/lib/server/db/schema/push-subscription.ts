import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './user';

/** One device's Web Push subscription (opt-in from the account page). */
export const pushSubscription = pgTable(
	'push_subscription',
	{
		/** The push service's URL for this device: unique, a device subscribes once. */
		endpoint: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		/** The device's P-256 public key and auth secret (base64url), for RFC 8291 encryption. */
		p256dh: text().notNull(),
		auth: text().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.userId)]
);
