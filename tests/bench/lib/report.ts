// The comparison as a table for people and the same figures as JSON: medians over the rounds.
import { COLD_FORMS, type S4Result } from './cold-load';
import type { BenchConfig } from './config';
import {
	P99_LIMIT_MS,
	PRESENCE_PER_SECOND,
	S1_RATE_PER_WRITER,
	S1_SHAPES,
	S2_SHAPE,
	S5_SHAPE,
	S6_DEVICE,
	WRITERS_PER_DOC
} from './config';
import type { S6Result } from './http';
import type { S5Result } from './kill';
import type { S1Result, S2Result, S3Result } from './scenarios';
import type { ServerKind } from './servers';
import { median } from './stats';

export interface RoundRecord {
	round: number;
	server: ServerKind;
	s1: S1Result[];
	s2: S2Result | null;
	s3: S3Result | null;
	s4: S4Result | null;
	s5: S5Result | null;
	/** How long each scenario took, wall-clock seconds (to keep the whole run within its budget). */
	seconds: Record<string, number>;
	/** The machine's 1-minute load average when this server's round started (noise shows here). */
	loadAverage: number;
	/** Failures of a run made only as S3's load (S1c when S1 is not selected). */
	loadFailures: string[];
	/** Why this server could not run this round, if it could not. */
	error: string | null;
}

const MiB = 1024 * 1024;
const fixed = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');
const mib = (bytes: number) => fixed(bytes / MiB);

function row(cells: (string | number)[], widths: number[]): string {
	return cells
		.map((c, i) => (i < 2 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!)))
		.join('  ');
}

export function summarise(
	records: RoundRecord[],
	servers: ServerKind[],
	s6: S6Result | null,
	s6Before: S6Result | null = null
) {
	const of = (server: ServerKind) => records.filter((r) => r.server === server && r.error === null);
	const s1 = S1_SHAPES.flatMap((shape) =>
		servers.map((server) => {
			const runs = of(server).flatMap((r) => r.s1.filter((s) => s.scenario === shape.id));
			return {
				scenario: shape.id,
				clients: shape.clients,
				docs: shape.docs,
				awareness: shape.awareness,
				server,
				rounds: runs.length,
				p50: median(runs.map((r) => r.p50)),
				p99: median(runs.map((r) => r.p99)),
				max: median(runs.map((r) => r.max)),
				p99PerRound: runs.map((r) => r.p99),
				missing: runs.reduce((n, r) => n + r.missing, 0),
				expected: runs.reduce((n, r) => n + r.expected, 0),
				serverCpu: median(runs.map((r) => r.serverCpu)),
				postgresCpu: median(runs.map((r) => r.postgresCpu)),
				loopLagP99: median(runs.map((r) => r.loopLagP99)),
				connectMs: median(runs.map((r) => r.connectMs)),
				/** Presence messages clients received a second (relayed by the server), awareness runs. */
				presencePerSecond: shape.awareness
					? median(runs.map((r) => r.presenceReceived / r.seconds))
					: NaN,
				// Kring only: its group commit over the run (from the timed store).
				commit:
					runs[0]?.engine.appendP50 === undefined
						? null
						: {
								perSecond: median(runs.map((r) => r.engine.commitsPerSecond!)),
								updatesPerCommit: median(runs.map((r) => r.engine.entriesPerCommit!)),
								appendP50: median(runs.map((r) => r.engine.appendP50!)),
								appendP99: median(runs.map((r) => r.engine.appendP99!))
							}
			};
		})
	).filter((s) => s.rounds > 0);
	const s2 = servers
		.map((server) => {
			const runs = of(server).flatMap((r) => (r.s2 ? [r.s2] : []));
			return {
				server,
				rounds: runs.length,
				sustained: median(runs.map((r) => r.sustained)),
				perRound: runs.map((r) => r.sustained),
				brokeAt: runs.map((r) => {
					const last = r.steps.at(-1);
					return last && !last.passed
						? { rate: last.rate, p99: last.p99, missing: last.missing }
						: null;
				})
			};
		})
		.filter((s) => s.rounds > 0);
	const s3 = servers
		.map((server) => {
			const runs = of(server).flatMap((r) => (r.s3 ? [r.s3] : []));
			const idleRss = median(runs.map((r) => r.idle.rss));
			const afterRss = median(runs.map((r) => r.afterLeave.rss));
			return {
				server,
				rounds: runs.length,
				idleRss,
				idleHeap: median(runs.map((r) => r.idle.heapUsed)),
				underLoadRss: median(runs.map((r) => r.underLoad)),
				afterLeaveRss: afterRss,
				afterLeaveHeap: median(runs.map((r) => r.afterLeave.heapUsed)),
				afterVsIdle: afterRss / idleRss - 1,
				heapAfterVsIdle:
					median(runs.map((r) => r.afterLeave.heapUsed)) /
						median(runs.map((r) => r.idle.heapUsed)) -
					1,
				openAfterLeave: runs.map((r) => r.openAfterLeave)
			};
		})
		.filter((s) => s.rounds > 0);
	const s4 = servers
		.map((server) => {
			const runs = of(server).flatMap((r) => (r.s4 ? [r.s4] : []));
			const open = Object.fromEntries(
				COLD_FORMS.map((form) => {
					const got = runs.flatMap((r) => (r.open[form] ? [r.open[form]] : []));
					return [
						form,
						got.length === 0
							? null
							: { ms: median(got.map((g) => g.ms)), kb: median(got.map((g) => g.bytes)) / 1024 }
					];
				})
			) as Record<(typeof COLD_FORMS)[number], { ms: number; kb: number } | null>;
			const storms = runs.flatMap((r) => (r.storm ? [r.storm] : []));
			return {
				server,
				rounds: runs.length,
				open,
				storm:
					storms.length === 0
						? null
						: {
								clients: storms[0]!.clients,
								loadsPerRound: storms.map((s) => s.loads),
								allSyncedMs: median(storms.map((s) => s.allSyncedMs)),
								p50Ms: median(storms.map((s) => s.p50Ms))
							},
				prepareMs: median(runs.map((r) => r.prepareMs))
			};
		})
		.filter((s) => s.rounds > 0);
	const s5 = servers
		.map((server) => {
			const runs = of(server).flatMap((r) => (r.s5 ? [r.s5] : []));
			return {
				server,
				rounds: runs.length,
				keepsNothing: runs.some((r) => r.keepsNothing),
				lostPerRound: runs.map((r) => r.lost),
				seenPerRound: runs.map((r) => r.seen),
				lost: runs.reduce((n, r) => n + r.lost, 0),
				seen: runs.reduce((n, r) => n + r.seen, 0),
				restartMs: median(runs.map((r) => r.restartMs)),
				backMs: median(runs.map((r) => r.backMs)),
				outageMs: median(runs.map((r) => r.outageMs)),
				clients: runs[0]?.clients ?? 0
			};
		})
		.filter((s) => s.rounds > 0);
	const loadByRound = records
		.map((r) => `r${r.round} ${r.server} ${r.loadAverage.toFixed(1)}`)
		.join(', ');
	return { s1, s2, s3, s4, s5, s6, s6Before, loadByRound };
}

export function formatTable(
	summary: ReturnType<typeof summarise>,
	config: BenchConfig,
	load: string
): string {
	const lines: string[] = [];
	const rounds = `median of ${config.rounds} interleaved rounds`;
	lines.push(`load average (1 min) as each server's round began: ${summary.loadByRound}`, '');
	if (summary.s1.length > 0) {
		lines.push(
			`S1 propagation latency, ms: send by a writer → receipt by every other client of the document`,
			`   (${rounds}; ${WRITERS_PER_DOC} writers/doc at ${S1_RATE_PER_WRITER} updates/s, ${config.seconds} s; -aw rows: every client`,
			`   also publishes presence at ${PRESENCE_PER_SECOND} Hz through the awareness protocol, the others none; load ${load})`
		);
		const w = [24, 12, 7, 7, 7, 14, 6, 6, 8, 10, 10, 22];
		lines.push(
			row(
				[
					'scenario',
					'server',
					'p50',
					'p99',
					'max',
					'lost/expected',
					'cpu %',
					'pg %',
					'gen lag',
					'presence/s',
					'connect ms',
					'p99 by round'
				],
				w
			)
		);
		for (const s of summary.s1) {
			lines.push(
				row(
					[
						`${s.scenario} ${s.clients} cl / ${s.docs} doc`,
						s.server,
						fixed(s.p50),
						fixed(s.p99),
						fixed(s.max),
						`${s.missing}/${s.expected}`,
						fixed(s.serverCpu, 0),
						fixed(s.postgresCpu, 0),
						fixed(s.loopLagP99),
						fixed(s.presencePerSecond, 0),
						fixed(s.connectMs, 0),
						s.p99PerRound.map((v) => fixed(v)).join(' ')
					],
					w
				)
			);
		}
		lines.push(
			'   cpu % = the server process, of one core; pg % = all Postgres processes (machine-wide);',
			'   gen lag = the load process’s own event-loop delay p99 (ms), part of every latency figure;',
			'   presence/s = presence messages the clients received a second (the server’s relay of them);',
			'   connect ms = from the first client’s connection to every client synced (clients arrive in batches).'
		);
		const commits = summary.s1.filter((s) => s.commit !== null);
		if (commits.length > 0) {
			lines.push('', `Kring's group commit during S1 (append = one batch's insert, ms)`);
			const cw = [22, 12, 10, 12, 11, 11];
			lines.push(
				row(['scenario', 'server', 'commits/s', 'updates/cmt', 'append p50', 'append p99'], cw)
			);
			for (const s of commits) {
				const c = s.commit!;
				lines.push(
					row(
						[
							s.scenario,
							s.server,
							fixed(c.perSecond, 0),
							fixed(c.updatesPerCommit),
							fixed(c.appendP50),
							fixed(c.appendP99)
						],
						cw
					)
				);
			}
		}
	}
	if (summary.s2.length > 0) {
		lines.push(
			'',
			`S2 highest sustained updates/s before p99 > ${P99_LIMIT_MS} ms or a lost delivery`,
			`   (${S2_SHAPE.clients} clients / ${S2_SHAPE.docs} docs, ${S2_SHAPE.docs * WRITERS_PER_DOC} writers; steps ${config.s2Rates.join(', ')}/s, ${config.s2StepSeconds} s each)`
		);
		const w = [12, 10, 20, 40];
		lines.push(
			row(
				[
					'server',
					'median',
					'by round',
					'the step that broke (rate: p99 ms, undelivered after 2 s)'
				],
				w
			)
		);
		for (const s of summary.s2) {
			const broke = s.brokeAt
				.map((b) => (b ? `${b.rate}: ${fixed(b.p99)}, ${b.missing}` : 'none'))
				.join('; ');
			lines.push(row([s.server, fixed(s.sustained, 0), s.perRound.join(' '), broke], w));
		}
	}
	if (summary.s3.length > 0) {
		lines.push(
			'',
			`S3 memory of the server process, MiB (${rounds}; idle and after-leave after a forced GC)`
		);
		const w = [12, 8, 9, 11, 11, 10, 13, 13, 10];
		lines.push(
			row(
				[
					'server',
					'idle rss',
					'idle heap',
					'500-cl rss',
					'after rss',
					'after heap',
					'rss vs idle',
					'heap vs idle',
					'open docs'
				],
				w
			)
		);
		for (const s of summary.s3) {
			lines.push(
				row(
					[
						s.server,
						mib(s.idleRss),
						mib(s.idleHeap),
						mib(s.underLoadRss),
						mib(s.afterLeaveRss),
						mib(s.afterLeaveHeap),
						`${fixed(s.afterVsIdle * 100)} %`,
						`${fixed(s.heapAfterVsIdle * 100)} %`,
						s.openAfterLeave.join(' ')
					],
					w
				)
			);
		}
		lines.push(
			`   after = ${config.leaveSeconds} s after the last client left (Kring unloads a document 10 s after its last connection).`
		);
	}
	if (summary.s4.length > 0) formatS4(lines, summary, config);
	if (summary.s5.length > 0) formatS5(lines, summary, config);
	if (summary.s6Before !== null)
		formatS6(lines, summary.s6Before, 'the earlier Kring (BENCH_BASELINE)');
	if (summary.s6 !== null) formatS6(lines, summary.s6, "Kring's");
	return lines.join('\n');
}

const na = 'n/a';

function formatS4(lines: string[], summary: ReturnType<typeof summarise>, config: BenchConfig) {
	const updates = config.s4Updates.toLocaleString('en');
	lines.push(
		'',
		`S4 cold load after ${updates} small updates: socket made → the server's full state (sync step 2), ms`,
		`   (median of ${config.s4Rounds} round(s), one cold document per form and round; state size in KiB;`,
		`   log = the raw log of ${updates} updates; snapshot = compacted; tail = snapshot + ${config.s4Tail.toLocaleString('en')} updates;`,
		`   empty = a document never written; n/a = the server has no such form)`
	);
	const w = [12, 10, 16, 16, 16, 12];
	lines.push(row(['server', 'empty', 'snapshot (KiB)', 'tail (KiB)', 'log (KiB)', 'prepare s'], w));
	const cell = (v: { ms: number; kb: number } | null) =>
		v === null ? na : `${fixed(v.ms)} (${fixed(v.kb, 0)})`;
	for (const s of summary.s4) {
		lines.push(
			row(
				[
					s.server,
					s.open.empty === null ? na : fixed(s.open.empty.ms),
					cell(s.open.snapshot),
					cell(s.open.tail),
					cell(s.open.log),
					fixed(s.prepareMs / 1000)
				],
				w
			)
		);
	}
	lines.push(
		'',
		`S4 join storm: ${config.stormClients} clients connect at the same instant to a cold document (Kring: the tail form;`,
		'   Hocuspocus: its merged blob of the same state); store loads it caused (Kring must load once)'
	);
	const sw = [12, 22, 18, 16];
	lines.push(row(['server', 'store loads by round', 'all synced (ms)', 'p50 client (ms)'], sw));
	for (const s of summary.s4) {
		lines.push(
			row(
				s.storm === null
					? [s.server, na, na, na]
					: [
							s.server,
							s.storm.loadsPerRound.map((l) => (l === null ? na : l)).join(' '),
							fixed(s.storm.allSyncedMs),
							fixed(s.storm.p50Ms)
						],
				sw
			)
		);
	}
}

function formatS5(lines: string[], summary: ReturnType<typeof summarise>, config: BenchConfig) {
	lines.push(
		'',
		`S5 kill -9 under ${config.s5Rate} updates/s (${S5_SHAPE.clients} clients / ${S5_SHAPE.docs} docs, ${S5_SHAPE.docs * WRITERS_PER_DOC} writers, one observer a document;`,
		`   SIGKILL after ${config.s5Seconds} s of writing, restart on the same port and database; ${config.s5Rounds} round(s), times are medians)`
	);
	const w = [12, 22, 22, 12, 12, 12];
	lines.push(
		row(['server', 'lost / seen', 'lost by round', 'restart ms', 'back ms', 'outage ms'], w)
	);
	for (const s of summary.s5) {
		lines.push(
			row(
				[
					s.server,
					s.keepsNothing ? `${na} (${s.lost}/${s.seen})` : `${s.lost} / ${s.seen}`,
					s.lostPerRound.join(' '),
					fixed(s.restartMs, 0),
					fixed(s.backMs, 0),
					fixed(s.outageMs, 0)
				],
				w
			)
		);
	}
	lines.push(
		'   lost = updates an observer received before the kill that the restarted server lacks (n/a: the server',
		'   keeps nothing across a restart, so all is gone by design); restart = SIGKILL → listening again;',
		`   back = listening → the last of ${S5_SHAPE.clients} clients reconnected and synced (each retries every 100 ms); outage = SIGKILL → back.`
	);
}

function formatS6(lines: string[], s6: S6Result, whose: string) {
	lines.push(
		'',
		`S6 HTTP, ${whose} built app (node server.js, Postgres, demo data): autocannon, ${s6.connections} connections, ${s6.seconds} s a page,`,
		`   ${s6.rounds} round(s) (median); rota and caseload with a member's session cookie; static = /robots.txt, a file`,
		'   from static/ served as is (the baseline); login = rendered per request, no data'
	);
	const w = [10, 34, 8, 8, 8, 10, 14, 16];
	lines.push(row(['page', 'path', 'alone', 'p50', 'p99', 'req/s', 'not 2xx', 'p99 by round'], w));
	for (const p of s6.pages) {
		lines.push(
			row(
				[
					p.page,
					p.path.length > 34 ? `…${p.path.slice(-33)}` : p.path,
					fixed(p.aloneP50),
					fixed(p.p50),
					fixed(p.p99),
					fixed(p.requestsPerSecond, 0),
					`${p.non2xx + p.errors}/${p.requests}`,
					p.p99PerRound.map((v) => fixed(v)).join(' ')
				],
				w
			)
		);
	}
	lines.push(
		'   alone = p50 of one request at a time (the last 10 of 20 warm-up requests): the page’s own service time;',
		`   rota vs static: p99 ×${fixed(s6.rotaVsStatic.p99)}, requests/s ×${fixed(s6.rotaVsStatic.requestsPerSecond, 2)} (aim: rota p99 < 100 ms)`
	);
	if (s6.js !== null)
		lines.push(
			`   JavaScript to open the rota page on a phone (Chromium, ${S6_DEVICE}): ${s6.js.files} files, ${fixed(s6.js.rawKB, 0)} KiB, ${fixed(s6.js.gzipKB, 1)} KiB gzipped (aim < 200 KB)`,
			`   largest gzipped: ${s6.js.largest.map((l) => `${l.url.split('/').at(-1)} ${fixed(l.gzipKB)}`).join(', ')}`
		);
	else lines.push(`   JavaScript weight not measured: ${s6.jsSkipped ?? 'failed (see failures)'}`);
}
