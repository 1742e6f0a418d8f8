import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { HealthFigures } from '$lib/domain/health';
import { team } from './team';

/**
 * A team's health figures for one ISO week (src/lib/domain/health.ts), stored once computed so
 * trends need no recomputation. The current week is recomputed as it goes; closed weeks stay.
 */
export const healthWeek = pgTable(
	'health_week',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		/** ISO week, `YYYY-Www`. */
		week: text().notNull(),
		figures: jsonb().$type<HealthFigures>().notNull(),
		computedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.week] })]
);
