import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshDatabaseUrl, testTarget } from './database';

export interface RunningServer {
	origin: string;
	output(): string;
	restart(): Promise<void>;
	crashAndRestart(): Promise<void>;
	/** Kills the process (SIGKILL) and leaves it dead. */
	kill(): Promise<void>;
	stop(): Promise<void>;
	/** The running server process (a new one after each restart). */
	process(): ChildProcess;
	/**
	 * Times the process exited on its own (a crash), not because this helper stopped or killed it;
	 * `restart()` after such an exit starts it again.
	 */
	unexpectedExits(): number;
}

/** How long the server may take to answer its health check: generous, the machine is shared. */
const START_LIMIT_MS = 180_000;

export async function freePort(): Promise<number> {
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

/**
 * Starts the built app (`build/`, made by `vite build`) as its own process on a free port, with a
 * fresh database on the suite's target and the demo organisation seeded: the real server, end to end.
 */
export async function startServer(
	options: {
		env?: Record<string, string>;
		publicOrigin?: 'http' | 'https';
		/** Share this Postgres database (another instance made it) instead of a fresh one. */
		databaseUrl?: string;
		/** Another checkout's built app (the bench's earlier Kring); this one by default. */
		cwd?: string;
	} = {}
): Promise<RunningServer & { publicOrigin: string }> {
	const port = await freePort();
	const origin = `http://localhost:${port}`;
	// As behind a TLS-terminating proxy: the app believes its public address is https.
	const publicOrigin = `${options.publicOrigin ?? 'http'}://localhost:${port}`;
	let dataDir: string | null = null;
	let dispose = async () => {};
	const dbEnv: Record<string, string> = {};
	if (options.databaseUrl !== undefined) {
		dbEnv.DATABASE_URL = options.databaseUrl;
	} else if (testTarget() === 'postgres') {
		const fresh = await freshDatabaseUrl();
		dbEnv.DATABASE_URL = fresh.url;
		dispose = fresh.dispose;
	} else {
		dataDir = mkdtempSync(path.join(tmpdir(), 'kring-it-'));
		dbEnv.KRING_DATA_DIR = dataDir;
		dbEnv.DATABASE_URL = '';
	}
	let log = '';
	const env = {
		...process.env,
		PORT: String(port),
		ORIGIN: publicOrigin,
		KRING_SEED: 'auto',
		...dbEnv,
		...options.env
	};
	let crashes = 0;
	/** Processes this helper asked to stop: their exit is expected. */
	const halting = new WeakSet<ChildProcess>();
	let child: ChildProcess = await launch();

	async function launch(): Promise<ChildProcess> {
		// KRING_SERVER_NODE_FLAGS: flags for the server's node only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
		// to profile it under a bench or the fuzz (NODE_OPTIONS refuses --cpu-prof).
		const flags = (process.env.KRING_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);
		const started = spawn(process.execPath, [...flags, 'server.js'], {
			cwd: options.cwd,
			env,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		started.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
		started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
		started.once('exit', () => {
			if (!halting.has(started)) crashes++;
		});
		const deadline = Date.now() + START_LIMIT_MS;
		for (;;) {
			if (started.exitCode !== null || started.signalCode !== null)
				throw new Error(`server exited early:\n${log}`);
			try {
				const res = await fetch(`${origin}/api/health`);
				if (res.ok) return started;
			} catch {
				// not listening yet
			}
			if (Date.now() > deadline) {
				halting.add(started);
				started.kill('SIGKILL');
				throw new Error(`server did not start within ${START_LIMIT_MS / 1000} s:\n${log}`);
			}
			await new Promise((r) => setTimeout(r, 150));
		}
	}

	async function halt(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
		if (child.exitCode !== null || child.signalCode !== null) return;
		halting.add(child);
		const exited = new Promise((r) => child.once('exit', r));
		child.kill(signal);
		await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	}

	return {
		origin,
		publicOrigin,
		output: () => log,
		/** Stops gracefully (SIGTERM) and starts again on the same port and database. */
		async restart() {
			await halt('SIGTERM');
			child = await launch();
		},
		/** Kills the process (SIGKILL, as a crash would) and starts it again. */
		async crashAndRestart() {
			await halt('SIGKILL');
			child = await launch();
		},
		kill: () => halt('SIGKILL'),
		process: () => child,
		unexpectedExits: () => crashes,
		async stop() {
			await halt('SIGTERM');
			await dispose();
			if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
