import { bigserial, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { team } from './team';
import { user } from './user';

/**
 * Who opened which client's card, and when: health data access is traced and the trace kept six
 * months (CNIL), readable by the team. Holds ids only, so erasing a client leaves nothing named.
 * A null client id is an open of the whole caseload document (the live list, every card in it).
 */
export const clientAccess = pgTable(
	'client_access',
	{
		id: bigserial({ mode: 'number' }).primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		/** null: the whole caseload document was opened. */
		clientId: text(),
		userId: text().references(() => user.id, { onDelete: 'set null' }),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.teamId, t.clientId, t.at), index().on(t.at)]
);
