import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

export const profession = pgEnum('profession', ['nurse', 'care_aide', 'other']);

/** Salaried carers fall under the branch agreement's rest rules (IDCC 2941); self-employed nurses do not. */
export const employment = pgEnum('employment', ['salaried', 'self_employed']);

/**
 * A person's place in a team. Every member has the same rights: there is deliberately no role,
 * owner or admin column here (Buurtzorg teams have no manager).
 */
export const membership = pgTable(
	'membership',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		userId: text()
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		profession: profession().notNull(),
		/** Contracted weekly hours, in minutes (35 h = 2100). */
		contractMinutes: integer().notNull(),
		employment: employment().notNull().default('salaried'),
		joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.userId] }), index().on(t.userId)]
);

export type Membership = typeof membership.$inferSelect;
