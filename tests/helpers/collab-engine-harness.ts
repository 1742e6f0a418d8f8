import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthorizer } from '../../src/lib/server/collab/authorize';
import { CollabServer, type CollabOptions } from '../../src/lib/server/collab/server';
import type { DocStore } from '../../src/lib/server/collab/engine/store';
import type { Db } from '../../src/lib/server/db';
import { personWithSession } from './collab-harness';
import { formTeam } from './team';

// The collab engine in-process with its real parts (the real authorizer over a migrated database,
// a Node HTTP server handing it its upgrades) on a store of the test's choosing, logs kept.

export type Tuning = Partial<Omit<CollabOptions, 'store' | 'authorize' | 'log'>>;

export interface Engine {
	collab: CollabServer;
	/** The HTTP server handing the engine its upgrades. */
	http: http.Server;
	origin: string;
	url(docName: string): string;
	logs: { warn: string[]; error: string[] };
	stop(): Promise<void>;
}

export async function startEngine(db: Db, store: DocStore, tuning: Tuning = {}): Promise<Engine> {
	const logs = { warn: [] as string[], error: [] as string[] };
	const line = (args: unknown[]) =>
		args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
	const collab = new CollabServer({
		store,
		authorize: createAuthorizer({ db, idleTimeoutMs: 12 * 3_600_000, origin: null }),
		unloadGraceMs: 100,
		log: {
			info: () => {},
			warn: (...args: unknown[]) => logs.warn.push(line(args)),
			error: (...args: unknown[]) => logs.error.push(line(args))
		},
		...tuning
	});
	const server = http.createServer((_request, response) => response.writeHead(404).end());
	server.on(
		'upgrade',
		(request: http.IncomingMessage, socket, head: Buffer) =>
			void collab.handleUpgrade(request, socket, head)
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	let stopped: Promise<void> | null = null;
	return {
		collab,
		http: server,
		origin,
		url: (docName) => `${origin.replace('http', 'ws')}/collab/${docName}`,
		logs,
		stop() {
			stopped ??= (async () => {
				await collab.close();
				server.closeAllConnections();
				await new Promise<void>((resolve) => server.close(() => resolve()));
			})();
			return stopped;
		}
	};
}

/** A team of two members with live sessions, whose documents the tests open. */
export async function teamOfTwo(db: Db) {
	const alice = await personWithSession(db, 'Alice Martin', 'alice@example.org');
	const bob = await personWithSession(db, 'Bob Durand', 'bob@example.org');
	return { teamId: await formTeam(db, alice, [bob]), alice, bob };
}
