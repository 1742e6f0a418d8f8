// The scenarios, run against one server process: S1 (propagation latency at a fixed load, with or
// without presence), S2 (the rate stepped up until p99 passes the limit or a delivery is lost), S3
// (memory of the process). S4 (cold load) is in cold-load.ts, S5 (kill -9) in kill.ts, S6 (HTTP) in
// http.ts.
import { scratchDocName } from '../../helpers/scratch-doc';
import {
	EDITOR_RATE,
	P99_LIMIT_MS,
	PRESENCE_PER_SECOND,
	S1_RATE_PER_WRITER,
	S2_SHAPE,
	WRITERS_PER_DOC,
	type S1Shape
} from './config';
import { Load, type PhaseFigures } from './load';
import { checkConvergence, openEditor, startTyping } from './providers';
import { postgresCpuMeter, targetOf, type Memory, type RunningServer } from './servers';

export interface S1Result extends PhaseFigures {
	scenario: S1Shape['id'];
	/** How long the writers wrote (s). */
	seconds: number;
	/** CPU of the server process while writers sent, in % of one core. */
	serverCpu: number;
	/** CPU of all Postgres processes meanwhile, in % of one core. */
	postgresCpu: number;
	/** The server's RSS at the end of the run, before anyone left (bytes). */
	rssUnderLoad: number;
	/** From the first client's connection to the last client synced, all clients arriving (ms). */
	connectMs: number;
	/** What the server tells of itself over the run (Kring: its group commits). */
	engine: Record<string, number>;
	failures: string[];
}

export interface S2Result {
	/** Highest rate (updates/s, all writers) with p99 within the limit and nothing lost; 0 if none. */
	sustained: number;
	steps: (PhaseFigures & { serverCpu: number; postgresCpu: number; passed: boolean })[];
	failures: string[];
	/** Sockets the server closed or that failed while overloaded (its back-pressure, reported). */
	dropped: string[];
}

export interface S3Result {
	idle: Memory;
	underLoad: number;
	afterLeave: Memory;
	/** Documents the server still holds after everyone left (its own count). */
	openAfterLeave: number | null;
}

const PEER_TEAM = 'benchteam000000000000000'; // as long as Kring's team ids
/** S1 asserts delivery: a late update still counts, however late (within reason). */
const S1_DRAIN_MS = 15_000;
/** S2 counts what has not arrived 2 s after its step as not delivered (the step fails). */
const S2_DRAIN_MS = 2_000;

const benchDocs = new Map<string, string>();

/**
 * The document a run calls `part`, in Kring's grammar: a rota week of the bench team, a fresh one
 * for each run and part in this process (meeting documents open only for planned meetings; rota
 * weeks open for any valid week). The peers take any name; they get names of the same shape.
 */
export function benchDocName(server: RunningServer, run: string, part: string): string {
	const team = server.info.teamId ?? PEER_TEAM;
	const key = `${team}\u0000${run}\u0000${part}`;
	let name = benchDocs.get(key);
	if (name === undefined) {
		name = scratchDocName(team, benchDocs.size);
		benchDocs.set(key, name);
	}
	return name;
}

/** Connects the load and two real editors on the first document; the editors type throughout. */
async function withLoad<T>(
	server: RunningServer,
	shape: { clients: number; docs: number },
	run: string,
	body: (load: Load) => Promise<T>
): Promise<{ value: T; convergence: string[]; sockets: string[]; connectMs: number }> {
	const connecting = performance.now();
	const load = await Load.connect(targetOf(server), {
		...shape,
		writersPerDoc: WRITERS_PER_DOC,
		docName: (i) => benchDocName(server, run, `d${i}`)
	});
	const connectMs = performance.now() - connecting;
	const docName = load.docNames[0]!;
	const editors = [openEditor(server, docName, 0), openEditor(server, docName, 1)];
	try {
		await Promise.all(editors.map((e) => e.synced));
		const stopTyping = startTyping(editors, EDITOR_RATE);
		let value: T;
		try {
			value = await body(load);
		} finally {
			stopTyping();
		}
		const convergence = await checkConvergence(server, editors, load, docName);
		if (load.log.duplicates > 0)
			convergence.push(`${server.kind}: ${load.log.duplicates} deliveries received twice`);
		if (load.log.unknown > 0)
			convergence.push(`${server.kind}: ${load.log.unknown} unknown markers received`);
		return { value, convergence, sockets: load.failures(), connectMs };
	} finally {
		for (const e of editors) e.destroy();
		await load.close();
	}
}

export async function runS1(
	server: RunningServer,
	shape: S1Shape,
	seconds: number,
	run: string
): Promise<S1Result> {
	let serverCpu = NaN;
	let postgresCpu = NaN;
	let rssUnderLoad = NaN;
	let engine: Record<string, number> = {};
	const { value, convergence, sockets, connectMs } = await withLoad(
		server,
		shape,
		run,
		async (load) => {
			await server.stats(); // starts the engine's figures afresh
			const cpu = server.cpuMs();
			const pg = postgresCpuMeter();
			const started = performance.now();
			const presence = shape.awareness ? PRESENCE_PER_SECOND : 0;
			const figures = await load.run(0, S1_RATE_PER_WRITER, seconds, S1_DRAIN_MS, presence);
			const elapsed = performance.now() - started;
			serverCpu = ((server.cpuMs() - cpu) / elapsed) * 100;
			postgresCpu = (pg() / elapsed) * 100;
			rssUnderLoad = server.rss();
			engine = await server.stats();
			return figures;
		}
	);
	const failures = [...convergence, ...sockets];
	if (value.missing > 0)
		failures.push(
			`${server.kind} ${shape.id}: ${value.missing} of ${value.expected} deliveries missing`
		);
	if (shape.awareness && value.presenceReceived === 0)
		failures.push(`${server.kind} ${shape.id}: no presence was relayed`);
	return {
		scenario: shape.id,
		seconds,
		...value,
		serverCpu,
		postgresCpu,
		rssUnderLoad,
		connectMs,
		engine,
		failures
	};
}

export async function runS2(
	server: RunningServer,
	rates: number[],
	stepSeconds: number,
	run: string
): Promise<S2Result> {
	const writers = S2_SHAPE.docs * WRITERS_PER_DOC;
	const {
		value: steps,
		convergence,
		sockets
	} = await withLoad(server, S2_SHAPE, run, async (load) => {
		const out: S2Result['steps'] = [];
		for (const [i, rate] of rates.entries()) {
			const cpu = server.cpuMs();
			const pg = postgresCpuMeter();
			const started = performance.now();
			const figures = await load.run(i, rate / writers, stepSeconds, S2_DRAIN_MS);
			const elapsed = performance.now() - started;
			const serverCpu = ((server.cpuMs() - cpu) / elapsed) * 100;
			const postgresCpu = (pg() / elapsed) * 100;
			const passed = figures.p99 <= P99_LIMIT_MS && figures.missing === 0;
			out.push({ ...figures, serverCpu, postgresCpu, passed });
			if (!passed) break;
		}
		return out;
	});
	const sustained = Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.rate));
	// Late or lost deliveries at the step that broke are the measurement, not a failure; a server
	// copy that lacks an update (checked by the late client) is.
	return { sustained, steps, failures: convergence, dropped: sockets };
}

export async function memoryAfterLeave(server: RunningServer, leaveSeconds: number) {
	await new Promise((r) => setTimeout(r, leaveSeconds * 1000));
	const afterLeave = await server.memory(true);
	const stats = await server.stats();
	return { afterLeave, openAfterLeave: stats.openDocuments ?? null };
}
