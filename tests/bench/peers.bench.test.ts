// Kring side by side with Hocuspocus 3.4 (storing to the same Postgres) and the y-websocket
// reference server (in memory): `npm run bench`, or just this file with
//   npx vitest run --project bench tests/bench/peers.bench.test.ts
// Rounds are interleaved (kring, hocuspocus, reference, kring, …) so drift hits all alike; every
// server runs in a process of its own; the load runs in this one. Figures are printed, never
// asserted against a time; what is asserted is correctness: every update delivered at the S1
// rates, real providers converged, the server's copy holding every writer's last update, presence
// relayed, every cold document served whole and loaded once by Kring however many join at once
// (S4), nothing anyone saw lost by Kring to a kill -9 (S5), every page answered 200 (S6).
// S6 (HTTP) runs once after the rounds, against the built app (built first when build/ is missing).
// Options (durations, scenarios, servers, rounds of S4–S6): tests/bench/lib/config.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../helpers/database';
import { benchConfig } from './lib/config';
import { runS4 } from './lib/cold-load';
import { runS6, type S6Result } from './lib/http';
import { runS5 } from './lib/kill';
import { formatTable, summarise, type RoundRecord } from './lib/report';
import { memoryAfterLeave, runS1, runS2 } from './lib/scenarios';
import { baselineDir, launch, type RunningServer, type ServerKind } from './lib/servers';

const config = benchConfig();
const REPORT = path.resolve('test-results/bench/peers.json');

async function postgresReachable(url: string): Promise<string | null> {
	const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
	try {
		await sql`select 1`;
		return null;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	} finally {
		await sql.end({ timeout: 1 });
	}
}

async function runServer(
	kind: ServerKind,
	round: number,
	databaseUrl: string | null
): Promise<RoundRecord> {
	const record: RoundRecord = {
		round,
		server: kind,
		s1: [],
		s2: null,
		s3: null,
		s4: null,
		s5: null,
		seconds: {},
		loadAverage: os.loadavg()[0]!,
		loadFailures: [],
		error: null
	};
	let server: RunningServer;
	try {
		server = await launch(kind, databaseUrl);
	} catch (error) {
		record.error = error instanceof Error ? error.message : String(error);
		return record;
	}
	let earlierLog = ''; // of the process S5 killed
	let since = performance.now();
	const took = (scenario: string) => {
		record.seconds[scenario] = (performance.now() - since) / 1000;
		since = performance.now();
	};
	try {
		const idle = await server.memory(true);
		let underLoad = NaN;
		for (const shape of config.s1Runs) {
			const result = await runS1(
				server,
				shape,
				config.seconds,
				`r${round}${shape.id.toLowerCase().replace(/[^a-z0-9]/g, '')}`
			);
			took(shape.id);
			if (shape.id === 'S1c') underLoad = result.rssUnderLoad;
			if (config.s1.includes(shape)) record.s1.push(result);
			else record.loadFailures.push(...result.failures); // only S3's load
		}
		if (config.s2) {
			record.s2 = await runS2(server, config.s2Rates, config.s2StepSeconds, `r${round}s2`);
			took('S2');
		}
		if (config.s3) {
			record.s3 = { idle, underLoad, ...(await memoryAfterLeave(server, config.leaveSeconds)) };
			took('S3');
		}
		// S4 and S5 write and read Kring's store as today's code holds it: not for the earlier Kring.
		const today = kind !== 'kring-before';
		if (config.s4 && round <= config.s4Rounds && today)
			record.s4 = await runS4(server, `r${round}s4`, {
				updates: config.s4Updates,
				tail: config.s4Tail,
				stormClients: config.stormClients
			});
		if (record.s4 !== null) took('S4');
		if (config.s5 && round <= config.s5Rounds && today) {
			const killed = server;
			const s5 = await runS5(server, `r${round}s5`, {
				rate: config.s5Rate,
				seconds: config.s5Seconds
			});
			earlierLog = killed.log();
			server = s5.server;
			record.s5 = s5.result;
			took('S5');
		}
	} catch (error) {
		record.error = `${error instanceof Error ? error.stack : String(error)}\n${earlierLog}${server.log()}`;
	} finally {
		await server.stop();
	}
	const log = `${earlierLog}${server.log()}`.trim();
	if (log !== '')
		console.info(`[bench] ${kind}, round ${round}, server output:\n${log.slice(0, 4_000)}`);
	return record;
}

describe('the live board side by side with Hocuspocus and the y-websocket reference', () => {
	it(
		'prints S1–S6 figures; every update delivered, providers converged, nothing seen lost',
		{ timeout: 60 * 60_000 },
		async () => {
			const loadBefore = os
				.loadavg()
				.map((v) => v.toFixed(2))
				.join(' ');
			process.env.TEST_DATABASE_URL = config.adminUrl;
			const noPostgres = await postgresReachable(config.adminUrl);
			const skipped: string[] = [];
			let servers = config.servers;
			if (noPostgres !== null) {
				skipped.push(
					`kring and hocuspocus skipped: Postgres at ${config.adminUrl} unreachable (${noPostgres})`
				);
				servers = servers.filter((s) => s === 'reference');
			}
			const started = Date.now();
			const records: RoundRecord[] = [];
			// S6 alone needs no round of the live-board servers.
			const perServer =
				config.s1Runs.length > 0 || config.s2 || config.s3 || config.s4 || config.s5;
			for (let round = 1; perServer && round <= config.rounds; round++) {
				// One bench database a round: Kring's schema and Hocuspocus's table of its own.
				const database = servers.some((s) => s !== 'reference') ? await freshDatabaseUrl() : null;
				// The earlier Kring has its own schema: a database of its own.
				const before = servers.includes('kring-before') ? await freshDatabaseUrl() : null;
				try {
					for (const kind of servers) {
						console.info(`[bench] round ${round}: ${kind}…`);
						const url = kind === 'kring-before' ? before!.url : (database?.url ?? null);
						records.push(await runServer(kind, round, url));
					}
				} finally {
					await database?.dispose();
					await before?.dispose();
				}
			}
			let s6: S6Result | null = null;
			let s6Before: S6Result | null = null;
			if (config.s6 && noPostgres === null) {
				const s6Options = {
					connections: config.s6Connections,
					seconds: config.s6Seconds,
					rounds: config.s6Rounds
				};
				const baseline = servers.includes('kring-before') ? baselineDir() : null;
				if (baseline !== null) {
					console.info(`[bench] S6: the earlier Kring's built app (${baseline}) over HTTP…`);
					s6Before = await runS6({ ...s6Options, appDir: baseline });
				}
				console.info('[bench] S6: the built app over HTTP…');
				s6 = await runS6(s6Options);
			} else if (config.s6) skipped.push('S6 skipped: it needs Postgres');
			const loadAfter = os
				.loadavg()
				.map((v) => v.toFixed(2))
				.join(' ');
			const summary = summarise(records, servers, s6, s6Before);
			const load = `avg ${loadBefore} → ${loadAfter}`;
			console.info(`\n${formatTable(summary, config, load)}\n`);
			const failures = [
				...records.flatMap((r) =>
					r.error ? [`${r.server} round ${r.round} could not run: ${r.error}`] : []
				),
				...records.flatMap((r) => [
					...r.s1.flatMap((s) => s.failures),
					...(r.s2?.failures ?? []),
					...(r.s4?.failures ?? []),
					...(r.s5?.failures ?? []),
					...r.loadFailures
				]),
				...(s6?.failures ?? []),
				...(s6Before?.failures ?? []).map((f) => `kring-before ${f}`)
			];
			const dropped = records.flatMap((r) => r.s2?.dropped ?? []);
			const json = {
				meta: {
					date: new Date().toISOString(),
					node: process.version,
					cpus: os.cpus().length,
					loadAverage: { before: loadBefore, after: loadAfter },
					minutes: (Date.now() - started) / 60_000,
					config,
					skipped
				},
				medians: summary,
				rounds: records,
				s2DroppedSockets: dropped,
				failures
			};
			mkdirSync(path.dirname(REPORT), { recursive: true });
			writeFileSync(REPORT, JSON.stringify(json, null, '\t'));
			console.info(
				`[bench] peers JSON (also in ${path.relative('.', REPORT)}):\n${JSON.stringify({ meta: json.meta, medians: summary, failures })}`
			);
			for (const s of skipped) console.warn(`[bench] ${s}`);
			if (dropped.length > 0)
				console.info(
					`[bench] S2: ${dropped.length} sockets dropped under overload, e.g. ${dropped[0]}`
				);
			expect(failures).toEqual([]);
		}
	);
});
