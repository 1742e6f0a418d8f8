import {
	bigint,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import type { Decision } from '$lib/domain/consent';
import { meeting } from './meeting';
import { team } from './team';
import { user } from './user';

/**
 * A team decision (consent or advice process). `state` is the pure module's whole record
 * (src/lib/domain/consent.ts), the fold of its events; the columns beside it are for the log's
 * search and filters. Changed only through `decision_event`, in the same transaction.
 */
export const decision = pgTable(
	'decision',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		title: text().notNull(),
		area: text().notNull(),
		stage: text().notNull(),
		reviewDate: date({ mode: 'string' }).notNull(),
		proposerId: text().references(() => user.id, { onDelete: 'set null' }),
		/** The meeting it was proposed in, if any (its minutes list it). */
		meetingId: text().references(() => meeting.id, { onDelete: 'set null' }),
		/** Events applied so far: a move is written only onto the state it was checked against. */
		revision: integer().notNull(),
		state: jsonb().$type<Decision>().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		closedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.teamId, t.stage), index().on(t.teamId, t.reviewDate)]
);

/** Every move on a decision, who made it and when: the decision's attributable history. */
export const decisionEvent = pgTable(
	'decision_event',
	{
		decisionId: text()
			.notNull()
			.references(() => decision.id, { onDelete: 'cascade' }),
		seq: bigint({ mode: 'number' }).notNull(),
		userId: text().references(() => user.id, { onDelete: 'set null' }),
		move: jsonb().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.decisionId, t.seq] })]
);
