// A whole fuzz run against the built server: record real traffic, then fuzz while honest stock
// clients type numbered lines, then restart the server (SIGTERM, then in a second phase SIGKILL)
// and check that every line another honest client received is in the stored document.
import { DEMO_TEAMS, demoEmail } from '../../src/lib/server/seed';
import { percentile } from '../bench/lib/stats';
import type { HttpClient } from '../helpers/browser-like';
import { logInAs, teamIdsOf } from '../helpers/demo';
import { startServer } from '../helpers/server';
import {
	FUZZ_WEEK,
	lineId,
	linesIn,
	prepare,
	ready,
	recordedEdit,
	watchLines,
	writeLine,
	type FuzzDoc
} from './documents';
import { runFuzzer, type FuzzCounts } from './fuzzer';
import { Prng } from './prng';
import { openStock, syncedWithin, type Stock } from './stock';

export interface FuzzOptions {
	seed: number;
	/** Mutated frames in all, split between the two phases (0: the control, honest clients only). */
	frames: number;
	/** Frames a second, all connections together. */
	rate: number;
	teams?: number;
	/** Honest stock clients per document (two or more). */
	honestPerDoc?: number;
	/** Each honest client types a line this often. */
	lineEveryMs?: number;
	/** A phase lasts at least this long, frames or not (the control's length). */
	minPhaseMs?: number;
	log?: (line: string) => void;
}

export interface FuzzFigures {
	seed: number;
	framesSent: number;
	serverCrashes: number;
	roundTrip: { p50: number; p99: number; max: number; samples: number };
	/** Honest lines written, and those no other honest client received within the grace period. */
	linesWritten: number;
	undelivered: number;
	acknowledged: number;
	/**
	 * Acknowledged lines missing from the stored documents: after the SIGTERM restart (the first
	 * phase's lines), and after the kill -9 restart (both phases' lines, so those lost in the first
	 * phase count again if still missing).
	 */
	lostAfterSigterm: number;
	lostAfterSigkill: number;
	unloadable: number;
	documents: number;
	closes: FuzzCounts['closes'];
	byMutation: FuzzCounts['byMutation'];
	seconds: number;
	/** A few examples of what went wrong, for the failure message. */
	examples: string[];
}

interface Line {
	doc: FuzzDoc;
	sentAt: number;
	/** Honest clients (by index) that must still receive it. */
	awaiting: Set<number>;
	receivedAt: number | null;
	acknowledged: boolean;
}

const SYNC_TIMEOUT_MS = 20_000;
const DELIVERY_GRACE_MS = 10_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runFuzz(options: FuzzOptions): Promise<FuzzFigures> {
	const log = options.log ?? (() => {});
	const teams = options.teams ?? 2;
	const honestPerDoc = Math.max(2, options.honestPerDoc ?? 2);
	const prng = new Prng(options.seed);
	const started = Date.now();
	const server = await startServer();
	log(`server up after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const figures: FuzzFigures = {
		seed: options.seed,
		framesSent: 0,
		serverCrashes: 0,
		roundTrip: { p50: NaN, p99: NaN, max: NaN, samples: 0 },
		linesWritten: 0,
		undelivered: 0,
		acknowledged: 0,
		lostAfterSigterm: 0,
		lostAfterSigkill: 0,
		unloadable: 0,
		documents: 0,
		closes: {},
		byMutation: {},
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
		log(`logged in after ${((Date.now() - started) / 1000).toFixed(1)} s`);
		const docs: FuzzDoc[] = [];
		for (const [team, { honest, teamId }] of people.entries()) {
			const page = await (await honest[0]!.get(`/teams/${teamId}/meetings`)).text();
			const meetingId = page.match(new RegExp(`/teams/${teamId}/meetings/([A-Za-z0-9_-]+)"`))?.[1];
			if (meetingId === undefined) throw new Error(`no meeting found for team ${team}`);
			docs.push(
				{ name: `team/${teamId}/caseload`, kind: 'caseload', team },
				{ name: `team/${teamId}/rota/${FUZZ_WEEK}`, kind: 'rota', team },
				{ name: `team/${teamId}/meeting/${meetingId}`, kind: 'meeting', team }
			);
		}
		figures.documents = docs.length;
		const session = (who: HttpClient) => who.sessionCookie!;
		const stock = (doc: FuzzDoc, who: HttpClient, record: ((f: Uint8Array) => void) | null = null) => {
			const client = openStock(server.origin, doc.name, session(who), record);
			open.push(client);
			return client;
		};
		const close = (client: Stock) => {
			client.destroy();
			open.splice(open.indexOf(client), 1);
		};

		// Recording: two stock clients per document make real edits (and move their cursors).
		const recorded = new Map<FuzzDoc, Uint8Array[]>();
		await Promise.all(
			docs.map(async (doc) => {
				const frames: Uint8Array[] = [];
				recorded.set(doc, frames);
				const [a, b] = people[doc.team]!.honest;
				const clients = [stock(doc, a!, (f) => frames.push(f)), stock(doc, b!, (f) => frames.push(f))];
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
		log(`recorded ${[...recorded.values()].reduce((n, f) => n + f.length, 0)} frames from stock clients`);

		const lines = new Map<string, Line>();
		let writerCount = 0;
		const check = async (phase: string): Promise<number> => {
			let lost = 0;
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
					if (line.doc === doc && line.acknowledged && !stored.has(id)) {
						lost++;
						if (figures.examples.length < 12)
							figures.examples.push(`${phase}: ${id} (${doc.kind}, team ${doc.team}) lost`);
					}
				close(reader);
			}
			return lost;
		};

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
				watchLines(h.client.doc, h.doc.kind, (id) => {
					const line = lines.get(id);
					if (line === undefined || !line.awaiting.delete(h.writer)) return;
					line.acknowledged = true;
					if (line.awaiting.size === 0) line.receivedAt = Date.now();
				});
			}
			const typing = setInterval(() => {
				for (const h of honest) {
					if (!ready(h.client.doc, h.doc.kind)) continue;
					const id = lineId(h.writer, h.count++);
					const others = honest.filter((o) => o.doc === h.doc && o !== h).map((o) => o.writer);
					lines.set(id, {
						doc: h.doc,
						sentAt: Date.now(),
						awaiting: new Set(others),
						receivedAt: null,
						acknowledged: false
					});
					writeLine(h.client.doc, h.doc.kind, id);
				}
			}, options.lineEveryMs ?? 250);

			// A crash is the port refusing connections: the process is gone. Count it, start it again.
			let watching = true;
			const watcher = (async () => {
				while (watching) {
					await sleep(500);
					try {
						await fetch(`${server.origin}/api/health`, { signal: AbortSignal.timeout(5_000) });
					} catch (error) {
						const code = (error as { cause?: { code?: string } }).cause?.code;
						if (code === 'ECONNREFUSED' && watching) {
							figures.serverCrashes++;
							figures.examples.push(`the server exited:\n${server.output().slice(-2_000)}`);
							await server.restart();
						}
					}
				}
			})();

			const counts = await runFuzzer({
				targets: docs.map((doc) => ({
						url: `${server.origin.replace(/^http/, 'ws')}/collab/${doc.name}`,
						session: session(people[doc.team]!.attacker),
						origin: server.origin,
						recorded: recorded.get(doc)!
					})),
				perTarget: 2,
				frames: Math.ceil(options.frames / 2),
				rate: options.rate,
				prng
			});
			figures.framesSent += counts.framesSent;
			for (const [code, n] of Object.entries(counts.closes)) figures.closes[code] = (figures.closes[code] ?? 0) + n;
			for (const [m, n] of Object.entries(counts.byMutation))
				figures.byMutation[m as keyof FuzzCounts['byMutation']] =
					(figures.byMutation[m as keyof FuzzCounts['byMutation']] ?? 0) + n;
			while (Date.now() - phaseStart < (options.minPhaseMs ?? 3_000)) await sleep(100);
			clearInterval(typing);
			const graceEnd = Date.now() + DELIVERY_GRACE_MS;
			const pending = () => [...lines.values()].some((l) => l.awaiting.size > 0 && l.sentAt >= phaseStart);
			while (pending() && Date.now() < graceEnd) await sleep(100);
			watching = false;
			await watcher;
			// The honest clients leave before the restart: reconnecting, they would send their own
			// copy again and hide what the server lost.
			honest.forEach((h) => close(h.client));
			await sleep(300);
			log(
				`phase ${phase + 1}: ${counts.framesSent} frames, ${[...lines.values()].filter((l) => l.sentAt >= phaseStart).length} honest lines; restarting with ${stop}`
			);
			if (stop === 'SIGTERM') await server.restart();
			else await server.crashAndRestart();
			const lost = await check(stop);
			if (stop === 'SIGTERM') figures.lostAfterSigterm = lost;
			else figures.lostAfterSigkill = lost;
		}

		const rtts = [...lines.values()].filter((l) => l.receivedAt !== null).map((l) => l.receivedAt! - l.sentAt);
		figures.roundTrip = {
			p50: percentile(rtts, 0.5),
			p99: percentile(rtts, 0.99),
			max: rtts.length === 0 ? NaN : Math.max(...rtts),
			samples: rtts.length
		};
		figures.linesWritten = lines.size;
		figures.undelivered = [...lines.values()].filter((l) => l.awaiting.size > 0).length;
		figures.acknowledged = [...lines.values()].filter((l) => l.acknowledged).length;
		return figures;
	} finally {
		figures.seconds = (Date.now() - started) / 1000;
		open.forEach((c) => c.destroy());
		await server.stop();
	}
}

export function formatFigures(f: FuzzFigures): string {
	const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : '–');
	const rows: [string, string][] = [
		['seed', `${f.seed} (FUZZ_SEED=${f.seed} replays it)`],
		['frames sent', String(f.framesSent)],
		['server crashes', String(f.serverCrashes)],
		['honest round trip p50 / p99 / max', `${ms(f.roundTrip.p50)} / ${ms(f.roundTrip.p99)} / ${ms(f.roundTrip.max)} (${f.roundTrip.samples} lines)`],
		['honest lines written / undelivered', `${f.linesWritten} / ${f.undelivered}`],
		['acknowledged edits', String(f.acknowledged)],
		['acknowledged edits lost after SIGTERM restart', String(f.lostAfterSigterm)],
		['acknowledged edits lost after kill -9 restart (both phases)', String(f.lostAfterSigkill)],
		['documents that fail to load', `${f.unloadable} of ${f.documents * 2} loads`],
		['attacker connections closed by the server', Object.entries(f.closes).map(([c, n]) => `${c}: ${n}`).join(', ') || '0'],
		['run time', `${f.seconds.toFixed(0)} s`]
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	return rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`).join('\n');
}
