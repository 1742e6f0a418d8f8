import { pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';

/**
 * Who took a visit that was up for taking (offered, or to cover after a sick call): first come,
 * first served across every instance. A visit is up once per offer or cover (`upSince`, the
 * offer's or cover's time): the first insert for it wins; a second taker's insert finds the row and
 * is refused, even if another instance has not yet seen the first taker's change to the document.
 */
export const rotaTake = pgTable(
	'rota_take',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		visitId: text().notNull(),
		upSince: text().notNull(),
		takerId: text().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.visitId, t.upSince] })]
);
