// A whole fuzz run against the built server: record real traffic, then fuzz while honest stock
// clients type numbered lines, then restart the server (SIGTERM, then in a second phase SIGKILL)
// and check that every line another honest client received is in the stored document.
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { DEMO_TEAMS, demoEmail } from '../../src/lib/server/seed/people';
import { percentile } from '../bench/lib/stats';
import type { HttpClient } from '../helpers/browser-like';
import { logInAs, teamIdsOf } from '../helpers/demo';
import { startServer } from '../helpers/server';
import {
	CONTROL_WEEK,
	FUZZ_WEEK,
	lineId,
	linesIn,
	prepare,
	ready,
	recordedEdit,
	writeLine,
	type FuzzDoc
} from './documents';
import { emptyCounts, type FuzzCounts } from './fuzzer';
import { FUZZER_NICENESS, fuzzerNiceness, runFuzzerApart } from './fuzzer-process';
import { Prng } from './prng';
import { openStock, syncedWithin, type Stock } from './stock';

export interface FuzzOptions {
	seed: number;
	/** Mutated frames in all, split between the two phases (0: honest clients only). */
	frames: number;
	/** Frames a second, all connections together. */
	rate: number;
	teams?: number;
	/** Honest stock clients per document (two or more). */
	honestPerDoc?: number;
	/** Each honest client types a line this often. */
	lineEveryMs?: number;
	/** Each phase starts with honest clients alone this long (the control's lines), then the fuzzer. */
	quietMs?: number;
	/** The fuzz lasts at least this long in each phase, frames or not. */
	minPhaseMs?: number;
	/** No frame sent for this long ends the fuzz (the run's own timeout, whatever rate it reaches). */
	stallMs?: number;
	/** How much lower the fuzzer's process runs than the test (nice levels; see fuzzer-process.ts). */
	fuzzerNiceness?: number;
	/** Progress lines (frames, rate, honest p99 so far) this often while the fuzzer runs. */
	progressEveryMs?: number;
	log?: (line: string) => void;
}

/** What became of a group of honest lines. */
export interface Tally {
	written: number;
	/**
	 * Not received by every other honest client of the document within the grace period: the
	 * struct that carried the line never reached that client's document (whether or not a fuzzed
	 * frame deleted or split the line's text since, which is editing in the open).
	 */
	undelivered: number;
	/** Received by another honest client: the server had it. */
	acknowledged: number;
	/** Acknowledged and missing from the stored document after the SIGTERM restart (first phase). */
	lostAfterSigterm: number;
	/** Acknowledged and missing after the kill -9 restart (both phases' lines). */
	lostAfterSigkill: number;
	/**
	 * Acknowledged, then deleted (or split) in the open: absent as a whole line from every honest
	 * client's screen before the restart (a fuzzed frame may validly delete existing text or insert
	 * into it, which is editing, not a loss).
	 */
	deletedInOpen: number;
}

type LineGroup = 'control' | 'bystander' | 'fuzzed';

export interface FuzzFigures {
	seed: number;
	/** How much lower the fuzzer's process ran than the test and the server (nice levels). */
	fuzzerNiceness: number;
	framesSent: number;
	/** Frames a second reached while the fuzzer ran (both phases). */
	rateReached: number;
	fuzzSeconds: number;
	/** CPU seconds the server process used while the fuzzer ran (Linux; NaN elsewhere). */
	serverCpuSeconds: number;
	/** Server processes that exited on their own (restarted each time). */
	serverCrashes: number;
	/** The fuzzer sent nothing for `stallMs` and was stopped. */
	stalled: boolean;
	/** Honest round trips while the fuzzer ran, and before it started (the control). */
	roundTrip: { p50: number; p99: number; max: number; samples: number };
	quietRoundTrip: { p50: number; p99: number; max: number; samples: number };
	/** While fuzzing, on the document the fuzzer never opens: the server's load, not the document's. */
	bystanderRoundTrip: { p50: number; p99: number; max: number; samples: number };
	/**
	 * control: lines written before the fuzzer started in each phase (every document);
	 * bystander: lines on the never-fuzzed document while the fuzzer ran;
	 * fuzzed: lines on the fuzzed documents while the fuzzer ran.
	 */
	lines: Record<LineGroup, Tally>;
	/** Loads of a document after a restart that did not sync. */
	unloadable: number;
	documents: number;
	closes: FuzzCounts['closes'];
	byMutation: FuzzCounts['byMutation'];
	counts: FuzzCounts;
	seconds: number;
	/** A few examples of what went wrong, for the failure message. */
	examples: string[];
}

interface Line {
	doc: FuzzDoc;
	group: LineGroup;
	/** The writer's Yjs client id and its clock just after the line: received once another has it. */
	client: number;
	clock: number;
	sentAt: number;
	/** Honest clients (by index) that must still receive it. */
	awaiting: Set<number>;
	receivedAt: number | null;
	acknowledged: boolean;
}

const SYNC_TIMEOUT_MS = 20_000;
const DELIVERY_GRACE_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const emptyTally = (): Tally => ({
	written: 0,
	undelivered: 0,
	acknowledged: 0,
	lostAfterSigterm: 0,
	lostAfterSigkill: 0,
	deletedInOpen: 0
});

function spread(samples: number[]) {
	return {
		p50: percentile(samples, 0.5),
		p99: percentile(samples, 0.99),
		max: samples.reduce((m, v) => Math.max(m, v), samples.length === 0 ? NaN : -Infinity),
		samples: samples.length
	};
}

/**
 * One run against one server: per team, three fuzzed documents (caseload, a rota week, a planned
 * meeting) and a control rota week the fuzzer never opens, with honest stock clients typing in all
 * four; two phases, each with honest clients alone first, then the fuzzer, then a restart (SIGTERM,
 * then kill -9) and a check of every stored document.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzFigures> {
	const started = Date.now();
	const log = (line: string) =>
		options.log?.(`${((Date.now() - started) / 1000).toFixed(1)} s: ${line}`);
	const teams = options.teams ?? 2;
	const honestPerDoc = Math.max(2, options.honestPerDoc ?? 2);
	const stallMs = options.stallMs ?? 60_000;
	const progressEveryMs = options.progressEveryMs ?? 10_000;
	const prng = new Prng(options.seed);
	const server = await startServer();
	log('server up');
	const counts = emptyCounts();
	const figures: FuzzFigures = {
		seed: options.seed,
		fuzzerNiceness: fuzzerNiceness(options.fuzzerNiceness ?? FUZZER_NICENESS),
		framesSent: 0,
		rateReached: NaN,
		fuzzSeconds: 0,
		serverCpuSeconds: 0,
		serverCrashes: 0,
		stalled: false,
		roundTrip: spread([]),
		quietRoundTrip: spread([]),
		bystanderRoundTrip: spread([]),
		lines: { control: emptyTally(), bystander: emptyTally(), fuzzed: emptyTally() },
		unloadable: 0,
		documents: 0,
		closes: counts.closes,
		byMutation: counts.byMutation,
		counts,
		seconds: 0,
		examples: []
	};
	const open: Stock[] = [];
	try {
		// Two honest members and one attacker (an ordinary member too) per team.
		const people: { honest: HttpClient[]; attacker: HttpClient; teamId: string }[] = [];
		for (let t = 0; t < teams; t++) {
			const emails = DEMO_TEAMS[t]!.people.slice(0, 3).map((p) => demoEmail(p.name));
			const [a, b, attacker] = await Promise.all(emails.map((e) => logInAs(server.origin, e)));
			const teamId = (await teamIdsOf(a!))[0]!;
			people.push({ honest: [a!, b!], attacker: attacker!, teamId });
		}
		log('logged in');
		const docs: FuzzDoc[] = [];
		for (const [team, { honest, teamId }] of people.entries()) {
			const page = await (await honest[0]!.get(`/teams/${teamId}/meetings`)).text();
			const meetingId = page.match(new RegExp(`/teams/${teamId}/meetings/([A-Za-z0-9_-]+)"`))?.[1];
			if (meetingId === undefined) throw new Error(`no meeting found for team ${team}`);
			docs.push(
				{ name: `team/${teamId}/caseload`, kind: 'caseload', team, fuzzed: true },
				{ name: `team/${teamId}/rota/${FUZZ_WEEK}`, kind: 'rota', team, fuzzed: true },
				{ name: `team/${teamId}/meeting/${meetingId}`, kind: 'meeting', team, fuzzed: true },
				{ name: `team/${teamId}/rota/${CONTROL_WEEK}`, kind: 'rota', team, fuzzed: false }
			);
		}
		const fuzzedDocs = docs.filter((d) => d.fuzzed);
		figures.documents = docs.length;
		const session = (who: HttpClient) => who.sessionCookie!;
		const stock = (
			doc: FuzzDoc,
			who: HttpClient,
			record: ((f: Uint8Array) => void) | null = null
		) => {
			const client = openStock(server.origin, doc.name, session(who), record);
			open.push(client);
			return client;
		};
		const close = (client: Stock) => {
			client.destroy();
			open.splice(open.indexOf(client), 1);
		};

		// Recording: two stock clients per fuzzed document make real edits (and move their cursors).
		const recorded = new Map<FuzzDoc, Uint8Array[]>();
		await Promise.all(
			fuzzedDocs.map(async (doc) => {
				const frames: Uint8Array[] = [];
				recorded.set(doc, frames);
				const [a, b] = people[doc.team]!.honest;
				const clients = [
					stock(doc, a!, (f) => frames.push(f)),
					stock(doc, b!, (f) => frames.push(f))
				];
				await Promise.all(clients.map((c) => c.synced));
				prepare(clients[0]!.doc, doc.kind);
				for (let step = 0; step < 24; step++) {
					for (const [i, c] of clients.entries()) {
						recordedEdit(c.doc, doc.kind, `rec${i}`, step, prng);
						c.provider.awareness.setLocalStateField('cursor', { index: step, user: `rec${i}` });
					}
					await sleep(20);
				}
				await sleep(500);
				clients.forEach(close);
			})
		);
		log(
			`recorded ${[...recorded.values()].reduce((n, f) => n + f.length, 0)} frames from stock clients`
		);

		const lines = new Map<string, Line>();
		// Per honest client (by writer index): the lines it has yet to receive.
		const awaitedBy = new Map<number, Set<Line>>();
		let writerCount = 0;
		// What the honest clients showed just before each restart: a line lost is one they showed
		// and the stored document lacks; one they no longer showed was deleted in the open.
		let shown = new Map<FuzzDoc, Set<string>>();
		const check = async (phase: string): Promise<Record<LineGroup, number>> => {
			const lost: Record<LineGroup, number> = { control: 0, bystander: 0, fuzzed: 0 };
			for (const doc of docs) {
				const reader = stock(doc, people[doc.team]!.honest[0]!);
				if (!(await syncedWithin(reader, SYNC_TIMEOUT_MS))) {
					figures.unloadable++;
					figures.examples.push(`${phase}: ${doc.kind} of team ${doc.team} did not load`);
					close(reader);
					continue;
				}
				const stored = linesIn(reader.doc, doc.kind);
				for (const [id, line] of lines)
					if (
						line.doc === doc &&
						line.acknowledged &&
						shown.get(doc)?.has(id) === true &&
						!stored.has(id)
					) {
						lost[line.group]++;
						if (figures.examples.length < 12)
							figures.examples.push(
								`${phase}: ${id} (${line.group}, ${doc.kind}, team ${doc.team}) lost`
							);
					}
				close(reader);
			}
			return lost;
		};
		const roundTrips = (fuzzing: boolean, only?: LineGroup, sentSince = 0) =>
			[...lines.values()]
				.filter(
					(l) =>
						l.receivedAt !== null &&
						l.sentAt >= sentSince &&
						(l.group !== 'control') === fuzzing &&
						(only === undefined || l.group === only)
				)
				.map((l) => l.receivedAt! - l.sentAt);

		for (const [phase, stop] of (['SIGTERM', 'SIGKILL'] as const).entries()) {
			const phaseStart = Date.now();
			// Honest clients: fresh ones each phase (the last ones left before the restart).
			const honest: { client: Stock; doc: FuzzDoc; writer: number; count: number }[] = [];
			for (const doc of docs)
				for (let i = 0; i < honestPerDoc; i++)
					honest.push({
						client: stock(doc, people[doc.team]!.honest[i % 2]!),
						doc,
						writer: writerCount++,
						count: 0
					});
			for (const h of honest)
				if (!(await syncedWithin(h.client, SYNC_TIMEOUT_MS)))
					throw new Error(`an honest client of ${h.doc.kind} did not sync before the fuzz`);
			for (const h of honest) {
				const deadline = Date.now() + SYNC_TIMEOUT_MS;
				while (!ready(h.client.doc, h.doc.kind) && Date.now() < deadline) await sleep(50);
				// Received is read from the document's own clocks, not from the text an update brings:
				// a relay that carries a line together with a fuzzed delete (or an insert inside it)
				// delivers the line without ever showing it whole.
				const pending = new Set<Line>();
				awaitedBy.set(h.writer, pending);
				h.client.doc.on('update', () => {
					for (const line of pending)
						if (Y.getState(h.client.doc.store, line.client) >= line.clock) {
							pending.delete(line);
							line.awaiting.delete(h.writer);
							line.acknowledged = true;
							if (line.awaiting.size === 0) line.receivedAt = Date.now();
						}
				});
			}
			log(`phase ${phase + 1}: ${honest.length} honest clients synced`);
			let fuzzing = false;
			const typing = setInterval(() => {
				for (const h of honest) {
					if (!ready(h.client.doc, h.doc.kind)) continue;
					const id = lineId(h.writer, h.count++);
					const others = honest.filter((o) => o.doc === h.doc && o !== h).map((o) => o.writer);
					const sentAt = Date.now();
					writeLine(h.client.doc, h.doc.kind, id);
					const client = h.client.doc.clientID;
					const line: Line = {
						doc: h.doc,
						group: !fuzzing ? 'control' : h.doc.fuzzed ? 'fuzzed' : 'bystander',
						client,
						clock: Y.getState(h.client.doc.store, client),
						sentAt,
						awaiting: new Set(others),
						receivedAt: null,
						acknowledged: false
					};
					lines.set(id, line);
					for (const o of others) awaitedBy.get(o)?.add(line);
				}
			}, options.lineEveryMs ?? 250);
			await sleep(options.quietMs ?? 3_000);

			// A crash is the server process exiting on its own: count it, start it again.
			let watching = true;
			const watcher = (async () => {
				let seen = server.unexpectedExits();
				while (watching) {
					await sleep(250);
					if (server.unexpectedExits() === seen) continue;
					figures.serverCrashes += server.unexpectedExits() - seen;
					seen = server.unexpectedExits();
					figures.examples.push(`the server exited:\n${server.output().slice(-2_000)}`);
					await server.restart();
				}
			})();

			// Progress, and the run's own timeout: it follows the frames actually sent, not the nominal rate.
			const fuzzStart = Date.now();
			const pidAtStart = server.process().pid;
			let fuzzerPid: number | undefined;
			const cpuAtStart = cpuSecondsOf(pidAtStart);
			fuzzing = true;
			let last = {
				at: fuzzStart,
				frames: counts.framesSent,
				progressAt: fuzzStart,
				progressFrames: counts.framesSent,
				cpu: cpuSample(pidAtStart, fuzzerPid)
			};
			const fuzzSecondsBefore = figures.fuzzSeconds;
			// The honest clients' own event loop: a late loop here would show as a slow server.
			const loopDelay = monitorEventLoopDelay({ resolution: 10 });
			loopDelay.enable();
			const monitor = setInterval(() => {
				const now = Date.now();
				if (counts.framesSent !== last.frames)
					last = { ...last, at: now, frames: counts.framesSent };
				else if (now - last.at > stallMs && !figures.stalled) {
					figures.stalled = true;
					figures.examples.push(
						`phase ${phase + 1}: no frame sent for ${stallMs / 1000} s, fuzz stopped`
					);
				}
				if (now - last.progressAt < progressEveryMs) return;
				const fuzzSeconds = fuzzSecondsBefore + (now - fuzzStart) / 1000;
				const recent = ((counts.framesSent - last.progressFrames) * 1000) / (now - last.progressAt);
				const overall = counts.framesSent / fuzzSeconds;
				const rtt = spread(roundTrips(true));
				// This window alone: the round trips of lines sent since the last progress line, and
				// where the machine's CPU went (two cores: 200 % is all of it).
				const recentRtt = spread(roundTrips(true, undefined, last.progressAt));
				const cpuNow = cpuSample(server.process().pid, fuzzerPid);
				const cpu = cpuShares(last.cpu, cpuNow, now - last.progressAt);
				const remaining = options.frames - counts.framesSent;
				log(
					`${counts.framesSent} frames, ${recent.toFixed(0)}/s now, ${overall.toFixed(0)}/s overall` +
						` (eta ${(remaining / Math.max(overall, 1) / 60).toFixed(1)} min); honest p99 ${Math.round(rtt.p99)} ms` +
						` max ${Math.round(rtt.max)} ms (${rtt.samples}); honest clients' loop delay p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms; opens ${counts.opens}, crashes ${figures.serverCrashes};` +
						` fuzzer cpu ${((counts.mutateMs / 1000 / fuzzSeconds) * 100).toFixed(0)}%, starved ticks ${((counts.starvedTicks / Math.max(counts.ticks, 1)) * 100).toFixed(0)}%;` +
						` last ${Math.round((now - last.progressAt) / 1000)} s: honest p50/p99/max ${Math.round(recentRtt.p50)}/${Math.round(recentRtt.p99)}/${Math.round(recentRtt.max)} ms (${recentRtt.samples}),` +
						` cpu server ${cpu.server}%, postgres ${cpu.postgres}%, honest clients ${cpu.test}%, fuzzer ${cpu.fuzzer}%`
				);
				last = { ...last, progressAt: now, progressFrames: counts.framesSent, cpu: cpuNow };
			}, 1_000);

			await runFuzzerApart({
				targets: fuzzedDocs.map((doc) => ({
					url: `${server.origin.replace(/^http/, 'ws')}/collab/${doc.name}`,
					session: session(people[doc.team]!.attacker),
					origin: server.origin,
					recorded: recorded.get(doc)!
				})),
				perTarget: 2,
				frames: phase === 0 ? Math.ceil(options.frames / 2) : options.frames - counts.framesSent,
				rate: options.rate,
				seed: prng.int(1, 2 ** 31 - 1),
				niceness: figures.fuzzerNiceness,
				started: (pid) => (fuzzerPid = pid),
				counts,
				shouldStop: () => figures.stalled
			});
			while (Date.now() - fuzzStart < (options.minPhaseMs ?? 3_000)) await sleep(100);
			figures.fuzzSeconds += (Date.now() - fuzzStart) / 1000;
			// After a crash mid-phase only the new process counts (the crashed one's CPU is gone with it).
			const pidAtEnd = server.process().pid;
			figures.serverCpuSeconds +=
				cpuSecondsOf(pidAtEnd) - (pidAtEnd === pidAtStart ? cpuAtStart : 0);
			clearInterval(monitor);
			loopDelay.disable();
			clearInterval(typing);
			const graceEnd = Date.now() + DELIVERY_GRACE_MS;
			const pending = () =>
				[...lines.values()].some((l) => l.awaiting.size > 0 && l.sentAt >= phaseStart);
			while (pending() && Date.now() < graceEnd) await sleep(100);
			watching = false;
			await watcher;
			// The honest clients leave before the restart: reconnecting, they would send their own
			// copy again and hide what the server lost.
			shown = new Map();
			for (const h of honest) {
				const set = shown.get(h.doc) ?? new Set<string>();
				for (const id of linesIn(h.client.doc, h.doc.kind)) set.add(id);
				shown.set(h.doc, set);
			}
			honest.forEach((h) => close(h.client));
			await sleep(300);
			log(
				`phase ${phase + 1}: ${counts.framesSent} frames so far, ${[...lines.values()].filter((l) => l.sentAt >= phaseStart).length} honest lines; restarting with ${stop}`
			);
			if (stop === 'SIGTERM') await server.restart();
			else await server.crashAndRestart();
			log(`phase ${phase + 1}: server up again`);
			const lost = await check(stop);
			log(`phase ${phase + 1}: stored documents checked`);
			for (const group of ['control', 'bystander', 'fuzzed'] as const)
				if (stop === 'SIGTERM') figures.lines[group].lostAfterSigterm = lost[group];
				else figures.lines[group].lostAfterSigkill = lost[group];
		}

		figures.roundTrip = spread(roundTrips(true));
		figures.quietRoundTrip = spread(roundTrips(false));
		figures.bystanderRoundTrip = spread(roundTrips(true, 'bystander'));
		for (const [id, line] of lines) {
			const tally = figures.lines[line.group];
			tally.written++;
			if (line.awaiting.size > 0) tally.undelivered++;
			if (line.acknowledged) tally.acknowledged++;
			if (line.acknowledged && shown.get(line.doc)?.has(id) !== true) tally.deletedInOpen++;
		}
		return figures;
	} finally {
		figures.framesSent = counts.framesSent;
		// The fuzzer's thread replaces these objects as it reports.
		figures.closes = counts.closes;
		figures.byMutation = counts.byMutation;
		figures.rateReached = figures.fuzzSeconds > 0 ? counts.framesSent / figures.fuzzSeconds : NaN;
		figures.seconds = (Date.now() - started) / 1000;
		open.forEach((c) => c.destroy());
		await server.stop();
	}
}

export function formatFigures(f: FuzzFigures): string {
	const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');
	const rtt = (r: FuzzFigures['roundTrip']) =>
		`${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)} (${r.samples} lines)`;
	const tally = (t: Tally) =>
		`${t.written} written, ${t.acknowledged} acknowledged, ${t.undelivered} undelivered, lost ${t.lostAfterSigterm} after SIGTERM / ${t.lostAfterSigkill} after kill -9, ${t.deletedInOpen} deleted in the open`;
	const c = f.counts;
	const rows: [string, string][] = [
		['seed', `${f.seed} (FUZZ_SEED=${f.seed} replays it)`],
		[
			'frames sent',
			`${f.framesSent} in ${f.fuzzSeconds.toFixed(0)} s of fuzzing: ${f.rateReached.toFixed(0)} frames/s reached${f.stalled ? ' (stalled, stopped early)' : ''}`
		],
		[
			'server CPU while fuzzing',
			`${f.serverCpuSeconds.toFixed(1)} s: ${((f.serverCpuSeconds / f.fuzzSeconds) * 100).toFixed(0)} % of one core, ${((f.serverCpuSeconds * 1e6) / Math.max(f.framesSent, 1)).toFixed(0)} µs a frame`
		],
		['server crashes', String(f.serverCrashes)],
		[
			'fuzzer priority',
			f.fuzzerNiceness === 0
				? 'its own process, at the test’s priority'
				: `its own process, nice +${f.fuzzerNiceness} against the test and the server`
		],
		['honest round trip p50 / p99 / max, fuzzing', rtt(f.roundTrip)],
		['of which on the document never fuzzed', rtt(f.bystanderRoundTrip)],
		['honest round trip p50 / p99 / max, before the fuzz', rtt(f.quietRoundTrip)],
		['control lines (before the fuzz, all documents)', tally(f.lines.control)],
		['bystander lines (unfuzzed document, during)', tally(f.lines.bystander)],
		['fuzzed lines (fuzzed documents, during)', tally(f.lines.fuzzed)],
		['documents that fail to load', `${f.unloadable} of ${f.documents * 2} loads`],
		[
			'attacker connections opened / closed by the server',
			`${c.opens} / ${
				Object.entries(f.closes)
					.map(([code, n]) => `${code}: ${n}`)
					.join(', ') || '0'
			}`
		],
		[
			'fuzzer time making frames / ticks starved of connections',
			`${(c.mutateMs / 1000).toFixed(1)} s / ${c.starvedTicks} of ${c.ticks}`
		],
		['run time', `${f.seconds.toFixed(0)} s`]
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`).join('\n');
}

/**
 * CPU seconds (user + system) a process has used, from /proc: a figure that a busy, shared machine
 * does not inflate the way it inflates wall-clock latency. NaN where /proc is not there.
 */
function cpuSecondsOf(pid: number | undefined): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return NaN;
	}
}

interface CpuSample {
	server: number;
	postgres: number;
	test: number;
	fuzzer: number;
}

/**
 * CPU seconds so far of the server, of every Postgres process on the machine, of this process (the
 * honest clients) and of the fuzzer's.
 */
function cpuSample(serverPid: number | undefined, fuzzerPid: number | undefined): CpuSample {
	let postgres = 0;
	try {
		for (const entry of readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			try {
				if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
					postgres += cpuSecondsOf(Number(entry)) || 0;
			} catch {
				// gone meanwhile
			}
		}
	} catch {
		postgres = NaN;
	}
	const own = process.cpuUsage();
	return {
		server: cpuSecondsOf(serverPid),
		postgres,
		test: (own.user + own.system) / 1e6,
		fuzzer: fuzzerPid === undefined ? 0 : cpuSecondsOf(fuzzerPid)
	};
}

/** Each one's share of a core (%) between two samples `ms` apart. */
function cpuShares(from: CpuSample, to: CpuSample, ms: number): Record<keyof CpuSample, string> {
	const share = (a: number, b: number) =>
		Number.isFinite(b - a) && ms > 0 ? ((((b - a) * 1000) / ms) * 100).toFixed(0) : '–';
	return {
		server: share(from.server, to.server),
		postgres: share(from.postgres, to.postgres),
		test: share(from.test, to.test),
		fuzzer: share(from.fuzzer, to.fuzzer)
	};
}
