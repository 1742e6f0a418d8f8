// The load generator: bench clients spread over documents, a few writers per document sending at a
// fixed rate, every delivery timed through its marker (one process, one clock).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MarkerLog } from './markers';
import { RawClient, type Target } from './raw-client';
import { percentile, sleep, until } from './stats';

export interface LoadShape {
	clients: number;
	docs: number;
	writersPerDoc: number;
	/** The name of the i-th document. */
	docName: (i: number) => string;
}

export interface PhaseFigures {
	/** Updates sent per second, all writers together (as scheduled). */
	rate: number;
	sent: number;
	p50: number;
	p99: number;
	max: number;
	expected: number;
	missing: number;
	/** The load process's own event-loop delay (p99, ms): latency it adds to every figure. */
	loopLagP99: number;
	/** Presence messages sent by all clients, and received (relayed by the server) meanwhile. */
	presenceSent: number;
	presenceReceived: number;
}

const CONNECT_BATCH = 50;

export class Load {
	readonly log = new MarkerLog();
	readonly clients: RawClient[] = [];
	readonly docNames: string[];

	private constructor(
		readonly target: Target,
		readonly shape: LoadShape
	) {
		this.docNames = Array.from({ length: shape.docs }, (_, i) => shape.docName(i));
	}

	/** Opens every client (in batches, as a crowd arriving) and waits for each to be synced. */
	static async connect(target: Target, shape: LoadShape): Promise<Load> {
		const load = new Load(target, shape);
		const perDoc = Math.ceil(shape.clients / shape.docs);
		if (perDoc <= shape.writersPerDoc) throw new Error('every document needs a reader');
		for (let i = 0; i < shape.clients; i++) {
			const doc = i % shape.docs;
			const writer = Math.floor(i / shape.docs) < shape.writersPerDoc;
			load.clients.push(new RawClient(i, load.docNames[doc]!, target, load.log, writer));
		}
		for (let i = 0; i < load.clients.length; i += CONNECT_BATCH) {
			await Promise.all(load.clients.slice(i, i + CONNECT_BATCH).map((c) => c.ready));
		}
		return load;
	}

	private isWriter(client: RawClient): boolean {
		return Math.floor(client.id / this.shape.docs) < this.shape.writersPerDoc;
	}

	/**
	 * Every writer sends `perWriter` updates a second for `seconds`, at random phases; then waits
	 * up to `drainMs` for deliveries still in flight (those that never come count as missing).
	 * With `presencePerSecond`, every client (writer or not) also publishes its presence that often
	 * through the awareness protocol, at a random phase of its own.
	 */
	async run(
		phase: number,
		perWriter: number,
		seconds: number,
		drainMs: number,
		presencePerSecond = 0
	): Promise<PhaseFigures> {
		const writers = this.clients.filter((c) => this.isWriter(c));
		const others = new Map<string, number>();
		for (const c of this.clients) others.set(c.docName, (others.get(c.docName) ?? 0) + 1);
		const period = 1000 / perWriter;
		const start = performance.now();
		const end = start + seconds * 1000;
		const next = writers.map(() => start + Math.random() * period);
		const presencePeriod = presencePerSecond > 0 ? 1000 / presencePerSecond : Infinity;
		const nextPresence = this.clients.map(() => start + Math.random() * presencePeriod);
		const receivedBefore = this.presenceReceived();
		let presenceSent = 0;
		const lag = monitorEventLoopDelay({ resolution: 5 });
		lag.enable();
		await new Promise<void>((resolve) => {
			const timer = setInterval(() => {
				const now = performance.now();
				if (now >= end) {
					clearInterval(timer);
					resolve();
					return;
				}
				writers.forEach((writer, i) => {
					while (next[i]! <= now) {
						writer.write(others.get(writer.docName)! - 1, phase);
						next[i]! += period;
					}
				});
				if (presencePerSecond > 0)
					this.clients.forEach((client, i) => {
						while (nextPresence[i]! <= now) {
							client.presence();
							presenceSent++;
							nextPresence[i]! += presencePeriod;
						}
					});
			}, 2);
		});
		await until(() => this.log.missing(phase) === 0, drainMs);
		lag.disable();
		const samples = this.log.latencies.get(phase) ?? [];
		return {
			rate: perWriter * writers.length,
			sent: this.log.sentCount(phase),
			p50: percentile(samples, 0.5),
			p99: percentile(samples, 0.99),
			max: percentile(samples, 1),
			expected: this.log.expected(phase),
			missing: this.log.missing(phase),
			loopLagP99: lag.percentile(99) / 1e6,
			presenceSent,
			presenceReceived: this.presenceReceived() - receivedBefore
		};
	}

	private presenceReceived(): number {
		return this.clients.reduce((n, c) => n + c.presenceReceived, 0);
	}

	/** Clients whose socket the server closed (with the code), or that saw a socket error. */
	failures(): string[] {
		return this.clients
			.filter((c) => c.closedEarly !== null || c.error !== null)
			.map(
				(c) =>
					`${c.docName} #${c.id}: ${c.closedEarly ? `closed ${c.closedEarly.code} ${c.closedEarly.reason}` : c.error}`
			);
	}

	/** The last marker each writer of a document sent (what the server's copy must hold). */
	lastMarkers(docName: string): Map<string, string> {
		const out = new Map<string, string>();
		for (const c of this.clients) {
			const marker = c.lastMarker();
			if (c.docName === docName && marker !== undefined) out.set(`w${c.id}`, marker);
		}
		return out;
	}

	async close(): Promise<void> {
		await Promise.all(this.clients.map((c) => c.close()));
		await sleep(50);
	}
}
