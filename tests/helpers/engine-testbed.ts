import { afterAll, beforeAll } from 'vitest';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { DocStore } from '../../src/lib/server/collab/engine/store';
import { openDocument, settlesWithin, type Client } from './collab-client';
import { startEngine, teamOfTwo, type Engine, type Tuning } from './collab-engine-harness';
import { openRaw, type Raw } from './collab-raw';
import { createTestDatabase } from './database';
import { scratchDocName } from './scratch-doc';

type Who = 'alice' | 'bob';

/**
 * What engine test files set up alike: a fresh database holding a team of two (Alice and Bob), and
 * the engines, stock clients and raw sockets a file opens on it, all closed once its tests are done.
 * Call it at the top of the file; `defaults` tune every engine it starts.
 */
export function engineTestbed(defaults: Tuning = {}) {
	let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
	let team: Awaited<ReturnType<typeof teamOfTwo>> | undefined;
	let docCounter = 0;
	const engines: Engine[] = [];
	const clients: Client[] = [];
	const raws: Raw[] = [];

	beforeAll(async () => {
		database = await createTestDatabase();
		team = await teamOfTwo(database.db);
	});
	afterAll(async () => {
		for (const client of clients) client.destroy();
		for (const r of raws) r.ws.terminate();
		for (const e of engines)
			await settlesWithin(e.stop(), 20_000, 'a collab engine to stop').catch((error: unknown) =>
				console.error('stopping a collab server failed:', error)
			);
		await database?.dispose();
	});

	const ready = () => {
		if (database === undefined || team === undefined)
			throw new Error('engineTestbed: used before its beforeAll ran');
		return { db: database.db, team };
	};

	return {
		get db() {
			return ready().db;
		},
		get team() {
			return ready().team;
		},
		/** A document of the team nobody opened yet. */
		newDocName: () => scratchDocName(ready().team.teamId, ++docCounter),
		/** An engine on `store` (the Postgres store by default). */
		async engine(store?: DocStore, tuning: Tuning = {}): Promise<Engine> {
			const { db } = ready();
			const e = await startEngine(db, store ?? new PostgresDocStore(db), {
				...defaults,
				...tuning
			});
			engines.push(e);
			return e;
		},
		/** A stock y-websocket provider of `who`. */
		connect(e: Engine, docName: string, who: Who = 'alice'): Client {
			const client = openDocument(e.origin, docName, ready().team[who].token);
			clients.push(client);
			return client;
		},
		/** Closes `client` now, before the file ends (a member leaving the document). */
		leave(client: Client): void {
			client.destroy();
			clients.splice(clients.indexOf(client), 1);
		},
		/** Closes every client opened so far (before an engine stops, say). */
		leaveAll(): void {
			for (const client of clients.splice(0)) client.destroy();
		},
		/** A raw socket of `who`, speaking the protocol by hand. */
		async raw(e: Engine, docName: string, who: Who = 'alice'): Promise<Raw> {
			const r = await openRaw(e.url(docName), ready().team[who].token, e.origin);
			raws.push(r);
			return r;
		}
	};
}
