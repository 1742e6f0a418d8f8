// Kring's collab engine as production runs it (src/lib/server/collab/instance.ts), in a process of
// its own: the real CollabServer, the Postgres store (group commit, relay after commit), the real
// authorizer and access re-check on real sessions in the bench database. Not here: the read-model
// projection hook (it refreshes the read model from caseload and rota documents; the bench's rota
// weeks hold only its own markers, so production would find nothing to project in them).
// KRING_BENCH_STORE=memory swaps the Postgres store for the in-memory one (server kind
// `kring-memory`): the same engine and group commit with no database round trip, to show what the
// commit costs. Either store is wrapped to time its appends and count its loads (it only measures).
// KRING_BENCH_RELAY=first relays each update before it is saved (see relay-first-store.ts).
// KRING_BENCH_REUSE (JSON of an earlier start's team and session tokens): a restart on the same
// database (S5) serves the same team to the same sessions instead of signing up again.
import http from 'node:http';
import { sql } from 'drizzle-orm';
import * as accounts from '../../../src/lib/server/accounts/accounts';
import { createSession } from '../../../src/lib/server/auth/session';
import { createAuthorizer, createRecheck } from '../../../src/lib/server/collab/authorize';
import { DEFAULTS } from '../../../src/lib/server/collab/engine/defaults';
import { CollabServer } from '../../../src/lib/server/collab/server';
import { MemoryDocStore } from '../../../src/lib/server/collab/engine/memory-store';
import { PostgresDocStore } from '../../../src/lib/server/collab/engine/postgres-store';
import { openDatabase } from '../../../src/lib/server/db/open';
import * as teams from '../../../src/lib/server/teams/teams';
import { announce, portFromEnv } from './child';
import { RelayFirstStore } from './relay-first-store';
import { TimedStore } from './timed-store';

const SESSIONS = 4;
const IDLE_MS = 12 * 3_600_000;

const port = portFromEnv();
const database = openDatabase({ url: process.env.DATABASE_URL!, dataDir: null });
await database.migrate();
const { db } = database;

async function signUpBench(): Promise<{ teamId: string; tokens: string[] }> {
	const signedUp = await accounts.signUp(db, {
		name: 'Banc Essai',
		email: `bench-${port}@example.org`,
		password: 'a long enough password',
		address: '127.0.0.1'
	});
	if (!signedUp.ok) throw new Error(`sign-up failed: ${signedUp.reason}`);
	const teamId = await teams.create(db, {
		name: 'Banc',
		creatorId: signedUp.userId,
		profession: 'nurse',
		contractMinutes: 2100
	});
	const tokens: string[] = [];
	for (let i = 0; i < SESSIONS; i++) tokens.push((await createSession(db, signedUp.userId)).token);
	return { teamId, tokens };
}

const reuse = process.env.KRING_BENCH_REUSE;
const { teamId, tokens } = reuse
	? (JSON.parse(reuse) as { teamId: string; tokens: string[] })
	: await signUpBench();

const store = new TimedStore(
	process.env.KRING_BENCH_STORE === 'memory'
		? new MemoryDocStore()
		: new PostgresDocStore(db, null, database.log)
);
// Tuning by measurement: KRING_BENCH_COMMIT_WINDOW (ms before a commit starts) and
// KRING_BENCH_COMMITS_IN_FLIGHT.
const commitWindowMs = Number(process.env.KRING_BENCH_COMMIT_WINDOW ?? DEFAULTS.commitWindowMs);
const commitsInFlight = Number(
	process.env.KRING_BENCH_COMMITS_IN_FLIGHT ?? DEFAULTS.commitsInFlight
);
const relayFirst =
	process.env.KRING_BENCH_RELAY === 'first'
		? new RelayFirstStore(store.store, {
				reserve: async () => {
					// The bench runs on Postgres (postgres.js hands back the rows as an array).
					const rows = (await db.execute(
						sql`select nextval('collab_seq')::text as v`
					)) as unknown as { v: string }[];
					return Number(rows[0]!.v);
				},
				block: 1024, // the sequence's INCREMENT (schema/collab-update.ts)
				commitWindowMs,
				commitsInFlight
			})
		: null;
const collab = new CollabServer({
	store: relayFirst ?? store.store,
	authorize: createAuthorizer({ db, idleTimeoutMs: IDLE_MS, origin: null }),
	recheck: createRecheck({ db, idleTimeoutMs: IDLE_MS }),
	log: { info: () => {}, warn: console.warn, error: console.error },
	commitWindowMs,
	commitsInFlight
});
const server = http.createServer((_request, response) => response.writeHead(404).end());
server.on('upgrade', (request: http.IncomingMessage, socket, head: Buffer) => {
	if (CollabServer.handles(request)) void collab.handleUpgrade(request, socket, head);
	else socket.destroy();
});
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

await announce(
	port,
	{
		stats: () => ({ openDocuments: collab.openDocuments, ...collab.stats, ...store.figures() }),
		loads: (docName) => store.loadsOf(docName),
		async stop() {
			await collab.close();
			await relayFirst?.stop();
			server.closeAllConnections();
			server.close();
			await database.close();
		}
	},
	{ teamId, tokens }
);
