import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { meeting } from './meeting';
import { team } from './team';
import { user } from './user';

/** A team calls its coach: a short note of what it is stuck on (the team's words, no client data). */
export const coachCall = pgTable(
	'coach_call',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		meetingId: text().references(() => meeting.id, { onDelete: 'set null' }),
		calledBy: text().references(() => user.id, { onDelete: 'set null' }),
		note: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow(),
		/** When a coach marked it as answered. */
		answeredAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.teamId, t.at)]
);
