import { index, pgEnum, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './session';
import { team } from './team';
import { user } from './user';

export const invitationKind = pgEnum('invitation_kind', ['member', 'coach']);

/** A single-use link. Only the SHA-256 of its token is stored. */
export const invitation = pgTable(
	'invitation',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		kind: invitationKind().notNull(),
		tokenHash: bytea().notNull().unique(),
		createdBy: text().references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
		expiresAt: timestamp({ withTimezone: true }).notNull(),
		usedAt: timestamp({ withTimezone: true }),
		usedBy: text().references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [index().on(t.teamId)]
);

export type Invitation = typeof invitation.$inferSelect;
