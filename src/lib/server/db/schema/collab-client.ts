import { bigint, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { user } from './user';

/**
 * Who owns each Yjs client id of a document: the user whose update first wrote under it (null: the
 * server itself, or an erased account, so nobody else can write under it either). Written in the
 * same statement as the `collab_update` rows that claim it, and never compacted: a client id keeps
 * its owner for the life of the document (see `collab/engine/update-guard.ts`).
 */
export const collabClient = pgTable(
	'collab_client',
	{
		docName: text().notNull(),
		clientId: bigint({ mode: 'number' }).notNull(),
		userId: text().references(() => user.id, { onDelete: 'set null' })
	},
	(t) => [primaryKey({ columns: [t.docName, t.clientId] })]
);
