import { index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { decision } from './decision';
import { team } from './team';
import { user } from './user';

/**
 * A kaizen card's countermeasure put to the team as its way of working: the decision that adopts
 * it. The card (in the live document `team/<teamId>/kaizen`) shows "adopted" once that decision is
 * adopted; a card cannot mark itself adopted. A lapsed or withdrawn one may be proposed again.
 */
export const kaizenAdoption = pgTable(
	'kaizen_adoption',
	{
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		cardId: text().notNull(),
		decisionId: text()
			.notNull()
			.references(() => decision.id, { onDelete: 'cascade' }),
		proposedBy: text().references(() => user.id, { onDelete: 'set null' }),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.teamId, t.cardId, t.decisionId] }), index().on(t.decisionId)]
);
