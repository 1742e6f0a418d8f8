// The comparison as a table for people and the same figures as JSON: medians over the rounds.
import type { BenchConfig } from './config';
import { P99_LIMIT_MS, S1_RATE_PER_WRITER, S1_SHAPES, S2_SHAPE, WRITERS_PER_DOC } from './config';
import type { S1Result, S2Result, S3Result } from './scenarios';
import type { ServerKind } from './servers';
import { median } from './stats';

export interface RoundRecord {
	round: number;
	server: ServerKind;
	s1: S1Result[];
	s2: S2Result | null;
	s3: S3Result | null;
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

export function summarise(records: RoundRecord[], servers: ServerKind[]) {
	const of = (server: ServerKind) => records.filter((r) => r.server === server && r.error === null);
	const s1 = S1_SHAPES.flatMap((shape) =>
		servers.map((server) => {
			const runs = of(server).flatMap((r) => r.s1.filter((s) => s.scenario === shape.id));
			return {
				scenario: shape.id,
				clients: shape.clients,
				docs: shape.docs,
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
	const loadByRound = records
		.map((r) => `r${r.round} ${r.server} ${r.loadAverage.toFixed(1)}`)
		.join(', ');
	return { s1, s2, s3, loadByRound };
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
			`   (${rounds}; ${WRITERS_PER_DOC} writers/doc at ${S1_RATE_PER_WRITER} updates/s, ${config.seconds} s, no awareness; load ${load})`
		);
		const w = [22, 12, 7, 7, 7, 14, 6, 6, 8, 22];
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
						s.p99PerRound.map((v) => fixed(v)).join(' ')
					],
					w
				)
			);
		}
		lines.push(
			'   cpu % = the server process, of one core; pg % = all Postgres processes (machine-wide);',
			'   gen lag = the load process’s own event-loop delay p99 (ms), part of every latency figure.'
		);
		const commits = summary.s1.filter((s) => s.commit !== null);
		if (commits.length > 0) {
			lines.push(
				'',
				`Kring's group commit during S1 (window 5 ms; append = one batch's insert, ms)`
			);
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
	return lines.join('\n');
}
