import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

/**
 * A member's private calendar feed: the URL carries a secret token, of which only the SHA-256 is
 * kept. Revoked feeds answer 404. One live feed per member and team; a new link revokes the old.
 */
export const calendarFeed = pgTable(
	'calendar_feed',
	{
		id: text().primaryKey(),
		tokenHash: text().notNull().unique(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		/** The member's language when they made (or last opened) the feed: its events speak it. */
		locale: text().$type<'fr' | 'en'>().notNull().default('fr'),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		revokedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.userId, t.teamId)]
);
