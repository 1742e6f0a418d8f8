import { boolean, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { EmailMode, NotificationKind } from '$lib/domain/notifications';
import { user } from './user';

/** A member's choice per kind; without a row, `defaultPreference` applies. In-app is always on. */
export const notificationPreference = pgTable(
	'notification_preference',
	{
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		kind: text().$type<NotificationKind>().notNull(),
		email: text().$type<EmailMode>().notNull(),
		push: boolean().notNull()
	},
	(t) => [primaryKey({ columns: [t.userId, t.kind] })]
);
