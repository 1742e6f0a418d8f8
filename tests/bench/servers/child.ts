// The parent side of a bench server process: answers the load process's questions over IPC
// (memory after an optional forced GC, engine counters, store loads of a document, stop) and
// announces when it listens.
import http from 'node:http';

export interface Served {
	/** Extra figures the server can tell (open documents, counters). */
	stats?(): Record<string, number>;
	/** How often the server loaded this document from its store since it started. */
	loads?(docName: string): number;
	stop(): Promise<void>;
}

type Request =
	| { type: 'memory'; gc: boolean }
	| { type: 'stats' }
	| { type: 'loads'; docName: string }
	| { type: 'stop' };

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const request = http.get({ host: '127.0.0.1', port, path: '/' }, (response) => {
			response.resume();
			resolve(true);
		});
		request.on('error', () => resolve(false));
	});
}

/** Waits until the port answers HTTP, then tells the parent (with what it needs to connect). */
export async function announce(port: number, served: Served, info: Record<string, unknown> = {}) {
	for (let i = 0; !(await listening(port)); i++) {
		if (i > 200) throw new Error(`nothing listens on ${port}`);
		await new Promise((r) => setTimeout(r, 50));
	}
	process.on('message', (message: Request) => void answer(message, served));
	process.send!({ type: 'ready', info });
}

async function answer(message: Request, served: Served): Promise<void> {
	if (message.type === 'memory') {
		if (message.gc) {
			// Twice: the first pass may only queue finalisers (WeakRefs, FinalizationRegistry).
			globalThis.gc?.();
			await new Promise((r) => setTimeout(r, 50));
			globalThis.gc?.();
		}
		const usage = process.memoryUsage();
		process.send!({ type: 'memory', rss: usage.rss, heapUsed: usage.heapUsed });
	} else if (message.type === 'stats') {
		process.send!({ type: 'stats', stats: served.stats?.() ?? {} });
	} else if (message.type === 'loads') {
		process.send!({ type: 'loads', loads: served.loads?.(message.docName) ?? null });
	} else if (message.type === 'stop') {
		await served.stop();
		process.exit(0);
	}
}

export function portFromEnv(): number {
	const port = Number(process.env.PORT);
	if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set');
	return port;
}
