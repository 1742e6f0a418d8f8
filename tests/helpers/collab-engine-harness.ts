import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuthorizer } from '../../src/lib/server/collab/authorize';
import { CollabServer, type CollabOptions } from '../../src/lib/server/collab/server';
import type { DocStore } from '../../src/lib/server/collab/engine/store';
import type { Db } from '../../src/lib/server/db';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { personWithSession } from './collab-harness';

// The collab engine in-process with its real parts (the real authorizer over a migrated database,
// a Node HTTP server handing it its upgrades) on a store of the test's choosing, logs kept.

export type Tuning = Partial<Omit<CollabOptions, 'store' | 'authorize' | 'log'>>;

export interface Engine {
	collab: CollabServer;
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
	const nurse = { profession: 'nurse' as const, contractMinutes: 2100 };
	const alice = await personWithSession(db, 'Alice Martin', 'alice@example.org');
	const bob = await personWithSession(db, 'Bob Durand', 'bob@example.org');
	const teamId = await teams.create(db, { name: 'Équipe Test', creatorId: alice.id, ...nurse });
	const { token } = await invitations.create(db, { teamId, kind: 'member', createdBy: alice.id });
	const accepted = await invitations.accept(db, { token, userId: bob.id, profile: nurse });
	if (!accepted.ok) throw new Error(`invitation failed: ${accepted.reason}`);
	return { teamId, alice, bob };
}
