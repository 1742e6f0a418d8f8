import {
	bigint,
	boolean,
	date,
	index,
	integer,
	jsonb,
	pgTable,
	primaryKey,
	text,
	timestamp
} from 'drizzle-orm/pg-core';
import type { Election } from '$lib/domain/election';
import { team } from './team';
import { user } from './user';

/** A role of the team: a purpose, accountabilities and a term (Buurtzorg's shared-out team work). */
export const role = pgTable(
	'role',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		name: text().notNull(),
		purpose: text().notNull(),
		accountabilities: text().array().notNull().default([]),
		termMonths: integer().notNull(),
		essential: boolean().notNull().default(false),
		/** The template it was made from (src/lib/domain/roles.ts), kept when the team edits it. */
		templateKey: text(),
		/** Retired by a decision of the team: kept for its history, offered no more. */
		retiredOn: date({ mode: 'string' }),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.teamId)]
);

/** Who held a role, from when until when: the role's history of holders. */
export const roleAssignment = pgTable(
	'role_assignment',
	{
		id: text().primaryKey(),
		roleId: text()
			.notNull()
			.references(() => role.id, { onDelete: 'cascade' }),
		memberId: text().references(() => user.id, { onDelete: 'set null' }),
		from: date({ mode: 'string' }).notNull(),
		until: date({ mode: 'string' }).notNull(),
		endedOn: date({ mode: 'string' })
	},
	(t) => [index().on(t.roleId)]
);

/** A sociocratic election for a role; `state` is the pure module's record (src/lib/domain/election.ts). */
export const election = pgTable(
	'election',
	{
		id: text().primaryKey(),
		teamId: text()
			.notNull()
			.references(() => team.id, { onDelete: 'cascade' }),
		roleId: text()
			.notNull()
			.references(() => role.id, { onDelete: 'cascade' }),
		stage: text().notNull(),
		revision: integer().notNull(),
		state: jsonb().$type<Election>().notNull(),
		createdAt: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index().on(t.roleId)]
);

/** Every move in an election, who made it and when. */
export const electionEvent = pgTable(
	'election_event',
	{
		electionId: text()
			.notNull()
			.references(() => election.id, { onDelete: 'cascade' }),
		seq: bigint({ mode: 'number' }).notNull(),
		userId: text().references(() => user.id, { onDelete: 'set null' }),
		move: jsonb().notNull(),
		at: timestamp({ withTimezone: true }).notNull().defaultNow()
	},
	(t) => [primaryKey({ columns: [t.electionId, t.seq] })]
);
