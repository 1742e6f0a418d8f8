import { boolean, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';

/**
 * Read model: the team's client cards as last projected from the caseload document
 * (`team/<teamId>/caseload`), for the rota generator, the health figures and export. Rebuildable
 * from the documents at any time; the document is the source of truth.
 */
export const client = pgTable(
	'client',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		id: text().notNull(),
		name: text().notNull(),
		address: text().notNull(),
		sector: text().notNull(),
		status: text().notNull(),
		statusSince: text(),
		/** A member's user id; not a foreign key: a former member stays named on old cards. */
		primaryCarerId: text(),
		needs: text().notNull(),
		/** From the first-visit check: only a nurse may be assigned. */
		nurseOnly: boolean().notNull().default(false),
		/** From the first-visit check: visits need two carers (transfers). */
		twoCarers: boolean().notNull().default(false),
		firstVisitDone: boolean().notNull().default(false),
		/** Members the client asked not to see again. */
		refusedCarerIds: text().array().notNull().default([]),
		/** What did not fit the card's expected shape (see src/lib/domain/caseload.ts). */
		problems: text().array().notNull().default([]),
		projectedAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.id] }), index().on(t.teamId, t.sector)]
);

export type Client = typeof client.$inferSelect;
