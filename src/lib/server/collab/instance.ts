import { config } from '$lib/server/config';
import { database, db, ready } from '$lib/server/db';
import { closeDueRoundsOnRead } from '$lib/server/governance/deadlines';
import type { Mirror } from '$lib/server/governance/decisions';
import { afterSplitAdopted } from '$lib/server/teams/split';
import { createAuthorizer, createRecheck } from './authorize';
import { governanceMirror } from './governance';
import { instanceName, PostgresPeers } from './engine/peers';
import { Projections } from './projections';
import { CollabServer } from './server';
import { PostgresDocStore } from './engine/postgres-store';

/**
 * The app's one collab server and its read-model projection, shared by the production entry
 * (server.js) and the Vite dev plugin, which both hand it their HTTP `upgrade` events.
 */
let instance: CollabServer | null = null;
let projection: Projections | null = null;

export function collabServer(): CollabServer {
	instance ??= createCollabServer();
	return instance;
}

function createCollabServer(): CollabServer {
	// On Postgres, several instances may share the database: each commit is announced to them and
	// theirs are applied here. The embedded PGlite database belongs to this one process.
	const url = config.databaseUrl;
	const name = instanceName();
	return new CollabServer({
		store: new PostgresDocStore(db, url === null ? null : name, database.log),
		peers: url === null ? undefined : new PostgresPeers(url, name),
		authorize: createAuthorizer({
			db,
			idleTimeoutMs: config.sessionIdleMs,
			origin: process.env.ORIGIN || null,
			beforeAccess: (teamId) => closeDueRoundsOnRead(db, decisionMirror(), teamId)
		}),
		recheck: createRecheck({ db, idleTimeoutMs: config.sessionIdleMs }),
		onCommit: (docName) => projections().notify(docName)
	});
}

let decisions: Mirror | null = null;

/** Decisions into the governance document; an adopted split then moves its documents. */
export function decisionMirror(): Mirror {
	decisions ??= governanceMirror(
		collabServer(),
		afterSplitAdopted(db, { collab: collabServer(), projection: projections() })
	);
	return decisions;
}

/** Keeps the read model (clients, patterns, absences, rota visits) in step with the documents. */
export function projections(): Projections {
	projection ??= new Projections(db, collabServer());
	return projection;
}

export { ready };

/** Where the production entry finds the instance made inside the SvelteKit build. */
export const COLLAB_GLOBAL = Symbol.for('kring.collab');
