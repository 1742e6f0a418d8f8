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
import type { Advice } from '$lib/domain/advice';
import { team } from './team';
import { user } from './user';

/**
 * An advice process (Reinventing Organizations): one member announces a decision they intend to
 * take, names who is affected and who has expertise, gathers their advice, then records the
 * decision and how the advice shaped it. `state` is the pure module's record
 * (src/lib/domain/advice.ts), the fold of its events; the columns beside it serve the log.
 */
export const adviceProcess = pgTable(
	'advice_process',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		title: text().notNull(),
		area: text().notNull(),
		stage: text().notNull(),
		reviewDate: date({ mode: 'string' }).notNull(),
		deciderId: text().references(() => user.id, { onDelete: 'set null' }),
		revision: integer().notNull(),
		state: jsonb().$type<Advice>().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		closedAt: timestamp({ withTimezone: true })
	},
	(t) => [index().on(t.teamId, t.stage), index().on(t.teamId, t.reviewDate)]
);

/** Every move in an advice process, who made it and when. */
export const adviceEvent = pgTable(
	'advice_event',
	{
		adviceId: text()
			.notNull()
			.references(() => adviceProcess.id, { onDelete: 'cascade' }),
		seq: bigint({ mode: 'number' }).notNull(),
		userId: text().references(() => user.id, { onDelete: 'set null' }),
		move: jsonb().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.adviceId, t.seq] })]
);
