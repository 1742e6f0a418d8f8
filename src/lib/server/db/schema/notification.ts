import { index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { NotificationKind } from '$lib/domain/notifications';
import { team } from './team';
import { user } from './user';

/**
 * One event for one member (src/lib/domain/notifications.ts says which kinds and what params
 * they carry: never client health data). `key`, when given, makes the same event for the same
 * member land once (a reminder computed again by the next sweep).
 */
export const notification = pgTable(
	'notification',
	{
		id: text().primaryKey(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		kind: text().$type<NotificationKind>().notNull(),
		params: jsonb().$type<Record<string, unknown>>().notNull(),
		/** A path on this site. */
		link: text().notNull(),
		key: text(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		readAt: timestamp({ withTimezone: true }),
		/** When it went out by e-mail, alone or in a digest; null while it may still go. */
		emailedAt: timestamp({ withTimezone: true })
	},
	(t) => [
		index().on(t.userId, t.createdAt),
		index().on(t.userId, t.readAt),
		uniqueIndex().on(t.userId, t.key)
	]
);

export type Notification = typeof notification.$inferSelect;
