import http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as accounts from '../../src/lib/server/accounts/accounts';
import { createSession } from '../../src/lib/server/auth/session';
import { createAuthorizer } from '../../src/lib/server/collab/authorize';
import { CollabServer, type CollabOptions } from '../../src/lib/server/collab/server';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { Db } from '../../src/lib/server/db';

/** A person with an account and a live session, as the browser would have after logging in. */
export async function personWithSession(
	db: Db,
	name: string,
	email: string
): Promise<{ id: string; token: string }> {
	const result = await accounts.signUp(db, {
		name,
		email,
		password: 'a long enough password',
		address: '127.0.0.1'
	});
	if (!result.ok) throw new Error(`sign-up failed: ${result.reason}`);
	const { token } = await createSession(db, result.userId);
	return { id: result.userId, token };
}

/**
 * The collab server in-process with its real parts: the Postgres store and the real authorizer on
 * the test database, behind a Node HTTP server on a free loopback port.
 */
export async function startCollab(db: Db, tuning: Partial<Omit<CollabOptions, 'authorize'>> = {}) {
	const collab = new CollabServer({
		store: new PostgresDocStore(db),
		authorize: createAuthorizer({ db, idleTimeoutMs: 12 * 3_600_000, origin: null }),
		log: { info: () => {}, warn: () => {}, error: (...args: unknown[]) => console.error(...args) },
		...tuning
	});
	const server = http.createServer((_request, response) => response.writeHead(404).end());
	server.on(
		'upgrade',
		(request: http.IncomingMessage, socket, head: Buffer) =>
			void collab.handleUpgrade(request, socket, head)
	);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		collab,
		origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		async stop() {
			await collab.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	};
}
