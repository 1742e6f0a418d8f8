import { index, integer, jsonb, pgTable, text, timestamp, unique } from 'drizzle-orm/pg-core';
import type { StandardContent } from '$lib/domain/care-standard';
import { adviceProcess } from './advice';
import { decision } from './decision';
import { team } from './team';
import { user } from './user';

/** A care standard of the team's library ("bien faire le geste"); what it says is in its versions. */
export const careStandard = pgTable(
	'care_standard',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.teamId)]
);

/**
 * One version of a standard, proposed with a decision (consent: `decisionId`, or the advice
 * process: `adviceId`). The current version is the one whose decision was adopted last
 * (src/lib/domain/care-standard.ts); every version stays, as the standard's history.
 */
export const careStandardVersion = pgTable(
	'care_standard_version',
	{
		id: text().primaryKey(),
		standardId: text()
			.notNull()
			.references(() => careStandard.id, { onDelete: 'cascade' }),
		number: integer().notNull(),
		content: jsonb().$type<StandardContent>().notNull(),
		decisionId: text().references(() => decision.id, { onDelete: 'set null' }),
		adviceId: text().references(() => adviceProcess.id, { onDelete: 'set null' }),
		proposedBy: text().references(() => user.id, { onDelete: 'set null' }),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [unique().on(t.standardId, t.number), index().on(t.decisionId), index().on(t.adviceId)]
);
