import { date, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

/**
 * A weekly meeting. Planned ahead (its agenda is open to items all week in the live document
 * `team/<teamId>/meeting/<id>`), opened on the day, closed with its minutes: the list of what was
 * decided and who consented, written by the server from the decision records and kept as they were.
 */
export const meeting = pgTable(
	'meeting',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		/** The day it is held (Paris). */
		heldOn: date({ mode: 'string' }).notNull(),
		/** planned → open → closed */
		status: text().$type<'planned' | 'open' | 'closed'>().notNull(),
		facilitatorId: text().references(() => user.id, { onDelete: 'set null' }),
		noteTakerId: text().references(() => user.id, { onDelete: 'set null' }),
		startedAt: timestamp({ withTimezone: true }),
		closedAt: timestamp({ withTimezone: true }),
		/** Written once, when the meeting closes (src/lib/domain/minutes.ts). */
		minutes: jsonb().$type<Record<string, unknown>>(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.teamId, t.heldOn)]
);
