// Each server under test in a child process of its own (so memory and CPU are its own), on
// loopback. The entry scripts in tests/bench/servers/ are bundled with esbuild first (Kring's code
// and `$lib` imports inlined, every package left to node_modules), so plain Node runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { hocuspocus, yWebsocket, type Framing } from './framing';
import type { Target } from './raw-client';

export type ServerKind = 'kring' | 'kring-before' | 'kring-memory' | 'hocuspocus' | 'reference';
/** What runs by default; `kring-memory` (Kring's engine on its in-memory store) is opt-in. */
export const SERVER_KINDS: ServerKind[] = ['kring', 'hocuspocus', 'reference'];
export const ALL_KINDS: ServerKind[] = [...SERVER_KINDS, 'kring-before', 'kring-memory'];
const ENTRIES = ['kring', 'hocuspocus', 'reference'];
const entryOf = (kind: ServerKind) => (kind === 'kring-memory' ? 'kring' : kind);
const isKring = (kind: ServerKind) =>
	kind === 'kring' || kind === 'kring-memory' || kind === 'kring-before';
/**
 * `kring-before`: Kring's collab engine as an earlier commit had it, for before-and-after figures
 * in one interleaved run. BENCH_BASELINE is a checkout of that commit (`git worktree add
 * ../kring-before <commit>`); its own bench entry is bundled from there and runs with that checkout
 * as its working directory (its migrations) on a database of its own.
 */
export function baselineDir(): string | null {
	const dir = process.env.BENCH_BASELINE;
	return dir === undefined || dir === '' ? null : path.resolve(dir);
}
const ROOT = path.resolve('.');
// Under node_modules so the bundles' bare imports resolve to the project's packages.
const OUT = path.join(ROOT, 'node_modules/.cache/kring-bench');

/** SvelteKit's `$lib` alias, as the app's build resolves it. */
const libAlias = (root: string): Plugin => ({
	name: 'lib-alias',
	setup(b) {
		b.onResolve({ filter: /^\$lib(\/|$)/ }, (args) =>
			b.resolve(`./src/lib${args.path.slice('$lib'.length)}`, { kind: args.kind, resolveDir: root })
		);
	}
});

let bundled: Promise<void> | null = null;
let bundledBefore: Promise<void> | null = null;
const bundleOptions = (root: string): BuildOptions => ({
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	plugins: [libAlias(root)],
	// An earlier checkout may lack the generated SvelteKit tsconfig its own tsconfig extends.
	logLevel: root === ROOT ? 'warning' : 'error'
});

/** Bundles the three server entries once per run (and the baseline's Kring when asked for). */
function bundleServers(kind: ServerKind): Promise<void> {
	if (kind === 'kring-before') {
		const root = baselineDir();
		if (root === null)
			throw new Error('kring-before needs BENCH_BASELINE (a checkout of the earlier commit)');
		bundledBefore ??= build({
			...bundleOptions(root),
			entryPoints: [path.join(root, 'tests/bench/servers/kring.ts')],
			// Still under this project's node_modules, so bare imports resolve to its packages.
			outfile: path.join(OUT, 'before/kring-before.mjs')
		}).then(() => {});
		return bundledBefore;
	}
	bundled ??= build({
		...bundleOptions(ROOT),
		entryPoints: ENTRIES.map((entry) => path.join(ROOT, `tests/bench/servers/${entry}.ts`)),
		outdir: OUT,
		outExtension: { '.js': '.mjs' }
	}).then(() => {});
	return bundled;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address !== null ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

export interface Memory {
	rss: number;
	heapUsed: number;
}

export class RunningServer {
	private output = '';
	private readonly replies = new Map<string, ((message: Record<string, unknown>) => void)[]>();

	constructor(
		readonly kind: ServerKind,
		readonly port: number,
		private readonly child: ChildProcess,
		readonly info: { teamId?: string; tokens?: string[] },
		readonly databaseUrl: string | null
	) {
		child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
		child.on('message', (message: Record<string, unknown>) => {
			this.replies.get(String(message.type))?.shift()?.(message);
		});
	}

	get pid(): number {
		return this.child.pid!;
	}

	/** What the server printed (warnings, errors). */
	log(): string {
		return this.output;
	}

	private ask<T>(request: Record<string, unknown>): Promise<T> {
		return new Promise((resolve, reject) => {
			const timer = setTimeout(
				() => reject(new Error(`${this.kind}: no answer to ${request.type}`)),
				10_000
			);
			const waiting = this.replies.get(String(request.type)) ?? [];
			waiting.push((message) => {
				clearTimeout(timer);
				resolve(message as T);
			});
			this.replies.set(String(request.type), waiting);
			this.child.send(request);
		});
	}

	/** The process's memory as it reports it, after a forced full GC when asked. */
	memory(gc: boolean): Promise<Memory> {
		return this.ask<Memory>({ type: 'memory', gc });
	}

	async stats(): Promise<Record<string, number>> {
		return (await this.ask<{ stats: Record<string, number> }>({ type: 'stats' })).stats;
	}

	/** How often the server loaded a document from its store (null: it has no store to load from). */
	async loads(docName: string): Promise<number | null> {
		return (await this.ask<{ loads: number | null }>({ type: 'loads', docName })).loads;
	}

	/** The process's RSS now, from /proc (bytes). */
	rss(): number {
		const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
		return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) * 1024;
	}

	/** CPU time used so far (user + system, ms), from /proc. */
	cpuMs(): number {
		const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
		return (Number(fields[11]) + Number(fields[12])) * 10;
	}

	/** SIGKILL, as a crash would: nothing is flushed, no socket is closed. Resolves once it is gone. */
	async kill(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.kill('SIGKILL');
		await exited;
	}

	async stop(): Promise<void> {
		if (this.child.exitCode !== null || this.child.signalCode !== null) return;
		const exited = new Promise((resolve) => this.child.once('exit', resolve));
		this.child.send({ type: 'stop' });
		await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
		if (this.child.exitCode === null && this.child.signalCode === null) {
			this.child.kill('SIGKILL');
			await exited;
		}
	}
}

/** CPU time (ms) used so far by each Postgres process on the machine, by pid. */
function postgresCpuByPid(): Map<string, number> {
	const out = new Map<string, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (!stat.includes('(postgres)')) continue;
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			out.set(entry, (Number(fields[11]) + Number(fields[12])) * 10);
		} catch {
			// the process ended meanwhile
		}
	}
	return out;
}

/**
 * Measures the CPU (ms) every Postgres process uses from now until the returned function is
 * called: Kring and Hocuspocus store there, so its work is part of theirs (other jobs on a shared
 * machine add to it too; a backend that exits meanwhile is not counted).
 */
export function postgresCpuMeter(): () => number {
	const before = postgresCpuByPid();
	return () => {
		let total = 0;
		for (const [pid, ms] of postgresCpuByPid()) total += ms - (before.get(pid) ?? 0);
		return total;
	};
}

export interface LaunchOptions {
	/** Listen here (a restart on the address clients know); a free port by default. */
	port?: number;
	/** Kring: the user, team and sessions made by an earlier start on the same database. */
	info?: RunningServer['info'];
}

/** Starts one server process and waits until it listens. */
export async function launch(
	kind: ServerKind,
	databaseUrl: string | null,
	options: LaunchOptions = {}
): Promise<RunningServer> {
	await bundleServers(kind);
	const port = options.port ?? (await freePort());
	// BENCH_PROFILE=1: a V8 CPU profile of each server process, written when it stops.
	const profile = process.env.BENCH_PROFILE
		? [
				'--cpu-prof',
				`--cpu-prof-dir=${path.join(ROOT, 'test-results/bench/profiles')}`,
				`--cpu-prof-name=${kind}-${Date.now()}.cpuprofile`
			]
		: [];
	const child = spawn(
		process.execPath,
		[
			'--expose-gc',
			...profile,
			kind === 'kring-before'
				? path.join(OUT, 'before/kring-before.mjs')
				: path.join(OUT, `${entryOf(kind)}.mjs`)
		],
		{
			cwd: kind === 'kring-before' ? baselineDir()! : ROOT,
			env: {
				...process.env,
				PORT: String(port),
				DATABASE_URL: databaseUrl ?? '',
				NODE_ENV: 'production',
				KRING_BENCH_STORE: kind === 'kring-memory' ? 'memory' : 'postgres',
				KRING_BENCH_REUSE: options.info ? JSON.stringify(options.info) : ''
			},
			stdio: ['ignore', 'pipe', 'pipe', 'ipc']
		}
	);
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const info = await new Promise<RunningServer['info']>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${kind} did not start in 60 s:\n${output}`)),
			60_000
		);
		child.once('exit', (code) =>
			reject(new Error(`${kind} exited (${code}) on start:\n${output}`))
		);
		child.on('message', (message: { type: string; info: RunningServer['info'] }) => {
			if (message.type !== 'ready') return;
			clearTimeout(timer);
			resolve(message.info);
		});
	});
	child.removeAllListeners('exit');
	return new RunningServer(kind, port, child, info, databaseUrl);
}

/** After `kill()`: the same server again, on the same port and database. */
export function restart(server: RunningServer): Promise<RunningServer> {
	return launch(server.kind, server.databaseUrl, { port: server.port, info: server.info });
}

/** How the load generator reaches a server: framing, URL base, and the headers a browser sends. */
export function targetOf(server: RunningServer): Target {
	const host = `127.0.0.1:${server.port}`;
	const framing: Framing = server.kind === 'hocuspocus' ? hocuspocus : yWebsocket;
	const base = isKring(server.kind) ? `ws://${host}/collab` : `ws://${host}`;
	const tokens = server.info.tokens ?? [];
	return {
		framing,
		base,
		headers: (clientId): Record<string, string> =>
			tokens.length === 0
				? { origin: `http://${host}` }
				: { origin: `http://${host}`, cookie: `session=${tokens[clientId % tokens.length]}` }
	};
}
