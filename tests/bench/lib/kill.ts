// S5: kill -9 under load. Writers send updates at a fixed total rate (each one appends its marker to
// a list, so the server's copy must hold every one of them, not just the last); one reader of each
// document is its observer and records every marker it receives. Then the server process gets
// SIGKILL (no flush, no goodbye) and is started again on the same port and database. What the
// observers saw is what someone saw: the restarted server must have all of it. Counted: what the
// observers saw that the restarted server lacks (read by a client that connects and syncs once every
// client is back), and the time until every client is back (reconnected and synced; each retries
// every RETRY_MS, the same for every server: a real provider backs off, which would add to it).
import * as Y from 'yjs';
import { S5_SHAPE, WRITERS_PER_DOC } from './config';
import { Load } from './load';
import { MarkerLog } from './markers';
import { KEPT, RawClient, type Target } from './raw-client';
import { benchDocName } from './scenarios';
import { restart, targetOf, type RunningServer } from './servers';
import { sleep } from './stats';

export interface S5Result {
	/** Updates a second, all writers together, and how long they wrote before the kill (s). */
	rate: number;
	seconds: number;
	/** Updates the writers handed to their sockets. */
	sent: number;
	/** Distinct updates the observers received before the kill. */
	seen: number;
	/** Seen by an observer, missing from the restarted server's copy. */
	lost: number;
	/** The server keeps nothing across a restart (no store): `lost` is everything, by design. */
	keepsNothing: boolean;
	/** SIGKILL → the restarted process listens (ms). */
	restartMs: number;
	/** The restarted process listens → the last client reconnected and synced (ms). */
	backMs: number;
	/** SIGKILL → the last client reconnected and synced (ms): the outage as clients saw it. */
	outageMs: number;
	clients: number;
	failures: string[];
}

const RETRY_MS = 100;
const BACK_TIMEOUT_MS = 90_000;

/** A client of the restarted server: tries every RETRY_MS until it is synced (or gives up). */
async function reconnect(
	target: Target,
	id: number,
	docName: string,
	deadline: number
): Promise<RawClient> {
	const log = new MarkerLog();
	for (;;) {
		const client = new RawClient(id, docName, target, log, false);
		try {
			await client.ready;
			return client;
		} catch (error) {
			await client.close();
			if (Date.now() > deadline)
				throw new Error(
					`${docName} #${id} not back: ${error instanceof Error ? error.message : String(error)}`
				);
			await sleep(RETRY_MS);
		}
	}
}

/** The markers a document's copy on the server holds (a fresh client's full state). */
async function storedMarkers(target: Target, docName: string): Promise<Set<number>> {
	const client = new RawClient(9_999, docName, target, new MarkerLog(), false, { keepState: true });
	try {
		await client.ready;
		const doc = new Y.Doc();
		Y.applyUpdate(doc, client.state!);
		const markers = doc.getArray<string>(KEPT).toArray();
		doc.destroy();
		return new Set(markers.map((m) => MarkerLog.idOf(m)));
	} finally {
		await client.close();
	}
}

/**
 * Runs S5 on `server`, which it kills: the returned server is the restarted one (the caller stops
 * it). Should the restart fail, the error is thrown and nothing is left running.
 */
export async function runS5(
	server: RunningServer,
	run: string,
	options: { rate: number; seconds: number }
): Promise<{ result: S5Result; server: RunningServer }> {
	const failures: string[] = [];
	const load = await Load.connect(targetOf(server), {
		...S5_SHAPE,
		writersPerDoc: WRITERS_PER_DOC,
		docName: (i) => benchDocName(server, run, `d${i}`)
	});
	const { docs } = S5_SHAPE;
	const writers = load.clients.filter((c) => Math.floor(c.id / docs) < WRITERS_PER_DOC);
	// The first reader of each document (client ids docs·writers … docs·(writers+1) − 1).
	const observers = load.clients.filter((c) => Math.floor(c.id / docs) === WRITERS_PER_DOC);
	const seen = new Map(observers.map((o) => [o.docName, load.log.watch(o.id)]));
	const perDoc = new Map<string, number>();
	for (const c of load.clients) perDoc.set(c.docName, (perDoc.get(c.docName) ?? 0) + 1);

	const period = (1000 * writers.length) / options.rate;
	const start = performance.now();
	const next = writers.map(() => start + Math.random() * period);
	let sent = 0;
	const timer = setInterval(() => {
		const now = performance.now();
		writers.forEach((writer, i) => {
			while (next[i]! <= now) {
				if (writer.write(perDoc.get(writer.docName)! - 1, 0, true) !== null) sent++;
				next[i]! += period;
			}
		});
	}, 2);
	await sleep(options.seconds * 1000);
	// Writers keep writing until the process is gone: the kill lands in the middle of the traffic.
	const killedAt = performance.now();
	await server.kill();
	clearInterval(timer);
	const seenBeforeKill = [...seen.values()].reduce((n, s) => n + s.size, 0);

	const deadline = Date.now() + BACK_TIMEOUT_MS;
	const target = targetOf(server);
	const coming = load.clients.map((c) => reconnect(target, c.id, c.docName, deadline));
	let restarted: RunningServer;
	try {
		restarted = await restart(server);
	} catch (error) {
		await Promise.allSettled(coming).then((all) =>
			Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.close() : null)))
		);
		await load.close();
		throw error;
	}
	const readyAt = performance.now();
	const back = await Promise.allSettled(coming);
	const clients = back.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
	for (const r of back)
		if (r.status === 'rejected') failures.push(`${server.kind} S5: ${String(r.reason)}`);
	const lastBack = Math.max(...clients.map((c) => c.syncedAt));

	let lost = 0;
	const keepsNothing = server.kind === 'reference' || server.kind === 'kring-memory';
	try {
		for (const [docName, markers] of seen) {
			const stored = await storedMarkers(target, docName);
			for (const id of markers) if (!stored.has(id)) lost++;
		}
	} catch (error) {
		failures.push(`${server.kind} S5: reading the restarted server failed: ${String(error)}`);
	}
	if (server.kind === 'kring' && lost > 0)
		failures.push(
			`kring S5: ${lost} of ${seenBeforeKill} updates seen before the kill are gone after the restart`
		);
	if (seenBeforeKill === 0)
		failures.push(`${server.kind} S5: the observers saw nothing before the kill`);
	await Promise.all(clients.map((c) => c.close()));
	await load.close();
	return {
		server: restarted,
		result: {
			rate: options.rate,
			seconds: options.seconds,
			sent,
			seen: seenBeforeKill,
			lost,
			keepsNothing,
			restartMs: readyAt - killedAt,
			backMs: Math.max(0, lastBack - readyAt),
			outageMs: lastBack - killedAt,
			clients: clients.length,
			failures
		}
	};
}
