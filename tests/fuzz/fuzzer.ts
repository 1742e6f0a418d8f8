// The attacker: several raw connections of one ordinary member to documents of their own team,
// sending mutated and hostile frames at a fixed total rate. A connection the server closes (as it
// should, for a malformed frame) is opened again; frames are only sent on open connections.
import * as Y from 'yjs';
import { openRaw, syncMessage, type Raw } from '../helpers/collab-raw';
import { framesOf, MUTATIONS, type Mutation } from './mutators';
import type { Prng } from './prng';

/** Below the server's 200 messages/s per connection, so rate limiting is not what closes them. */
const PER_CONNECTION_RATE = 150;
const REOPEN_MS = 100;
const TICK_MS = 10;

export interface FuzzTarget {
	url: string;
	session: string;
	origin: string;
	recorded: Uint8Array[];
}

export interface FuzzCounts {
	framesSent: number;
	byMutation: Partial<Record<Mutation, number>>;
	/** Server closes of attacker connections, by close code. */
	closes: Record<string, number>;
	/** Upgrades refused or failed (the server away, or refusing the member). */
	openFailures: number;
}

class Attacker {
	raw: Raw | null = null;
	private opening = false;
	private stopped = false;
	sentThisSecond = 0;

	constructor(
		readonly target: FuzzTarget,
		private readonly counts: FuzzCounts
	) {}

	open(): void {
		if (this.opening || this.stopped) return;
		this.opening = true;
		openRaw(this.target.url, this.target.session, this.target.origin)
			.then((raw) => {
				this.opening = false;
				if (this.stopped) return raw.ws.terminate();
				raw.send(syncMessage(0, Y.encodeStateVector(raw.doc)));
				this.raw = raw;
				void raw.closed.then(({ code }) => {
					this.counts.closes[code] = (this.counts.closes[code] ?? 0) + 1;
					raw.doc.destroy();
					if (this.raw === raw) this.raw = null;
					setTimeout(() => this.open(), REOPEN_MS);
				});
			})
			.catch(() => {
				this.opening = false;
				this.counts.openFailures++;
				setTimeout(() => this.open(), REOPEN_MS * 5);
			});
	}

	get usable(): boolean {
		const raw = this.raw;
		return raw !== null && raw.ws.readyState === raw.ws.OPEN && raw.ws.bufferedAmount < 4 << 20;
	}

	stop(): void {
		this.stopped = true;
		this.raw?.ws.terminate();
	}
}

/**
 * Sends `frames` frames at `rate` a second over `perTarget` connections per document, then stops.
 * Resolves with what was sent; `shouldStop` ends it early.
 */
export async function runFuzzer(options: {
	targets: FuzzTarget[];
	perTarget: number;
	frames: number;
	rate: number;
	prng: Prng;
	shouldStop?: () => boolean;
}): Promise<FuzzCounts> {
	const counts: FuzzCounts = { framesSent: 0, byMutation: {}, closes: {}, openFailures: 0 };
	if (options.frames <= 0) return counts;
	const connections = Math.max(
		options.targets.length * options.perTarget,
		Math.ceil(options.rate / PER_CONNECTION_RATE)
	);
	const attackers = Array.from(
		{ length: connections },
		(_, i) => new Attacker(options.targets[i % options.targets.length]!, counts)
	);
	attackers.forEach((a) => a.open());
	const { prng } = options;
	const started = Date.now();
	let second = Math.floor(started / 1000);
	try {
		while (counts.framesSent < options.frames && !(options.shouldStop?.() ?? false)) {
			await new Promise((r) => setTimeout(r, TICK_MS));
			const now = Date.now();
			if (Math.floor(now / 1000) !== second) {
				second = Math.floor(now / 1000);
				attackers.forEach((a) => (a.sentThisSecond = 0));
			}
			// Never more than a tick's worth behind: frames not sent while connections were down are
			// not sent in a burst afterwards.
			const due = Math.min(
				((now - started) / 1000) * options.rate - counts.framesSent,
				(options.rate * TICK_MS) / 1000 + 1
			);
			for (let n = 0; n < due && counts.framesSent < options.frames; ) {
				const open = attackers.filter((a) => a.usable && a.sentThisSecond < PER_CONNECTION_RATE);
				if (open.length === 0) break;
				const attacker = prng.pick(open);
				const raw = attacker.raw!;
				const mutation = prng.weighted(MUTATIONS);
				const view = {
					doc: raw.doc,
					presenceIds: [...raw.presence.keys()],
					recorded: attacker.target.recorded
				};
				for (const frame of framesOf(mutation, view, prng).slice(0, options.frames - counts.framesSent)) {
					raw.send(frame);
					attacker.sentThisSecond++;
					counts.framesSent++;
					n++;
				}
				counts.byMutation[mutation] = (counts.byMutation[mutation] ?? 0) + 1;
			}
		}
	} finally {
		attackers.forEach((a) => a.stop());
	}
	return counts;
}
