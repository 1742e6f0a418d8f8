import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

/**
 * The anonymous weekly pulse. An answer carries no member, no time and a random id; who answered is
 * kept apart (`pulse_response`) only while the week is open, to allow one answer each. When the week
 * closes its responses are deleted and its answers rewritten in random order (src/lib/server/pulse.ts).
 */
export const pulseAnswer = pgTable(
	'pulse_answer',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		week: text().notNull(),
		energy: text().$type<'green' | 'amber' | 'red'>().notNull(),
		workload: text().$type<'green' | 'amber' | 'red'>().notNull(),
		teamwork: text().$type<'green' | 'amber' | 'red'>().notNull(),
		decisions: text().$type<'green' | 'amber' | 'red'>().notNull(),
		word: text()
	},
	(t) => [index().on(t.teamId, t.week)]
);

/** Who answered an open week's pulse (never what): removed when the week closes. */
export const pulseResponse = pgTable(
	'pulse_response',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		week: text().notNull(),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.teamId, t.week, t.userId] })]
);
