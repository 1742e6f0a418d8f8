// The attacker: several raw connections of one ordinary member to documents of their own team,
// sending mutated and hostile frames at a fixed total rate. A connection the server closes (as it
// should, for a malformed frame) is opened again; frames are only sent on open connections.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { openRaw, syncMessage, type Raw } from '../helpers/collab-raw';
import { framesOf, MUTATIONS, type Mutation, type View } from './mutators';
import type { Prng } from './prng';

/** Below the server's 200 messages/s per connection, so rate limiting is not what closes them. */
const PER_CONNECTION_RATE = 150;
/**
 * Hostile frames get their connection closed (one in thirty or so), and reopening takes a handshake,
 * a session check and a full sync: one connection per this many frames a second keeps the rate
 * while others reopen.
 */
const FRAMES_PER_CONNECTION = 15;
const REOPEN_MS = 20;
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
	/** Connections opened (the first ones and every reopen after a close). */
	opens: number;
	/** Upgrades refused or failed (the server away, or refusing the member). */
	openFailures: number;
	/** Where the fuzzer's own time went: making frames, and ticks with frames due but no connection open. */
	mutateMs: number;
	starvedTicks: number;
	ticks: number;
}

export function emptyCounts(): FuzzCounts {
	return {
		framesSent: 0,
		byMutation: {},
		closes: {},
		opens: 0,
		openFailures: 0,
		mutateMs: 0,
		starvedTicks: 0,
		ticks: 0
	};
}

/**
 * What an attacker knows: its document, and the presence its open connection has seen; computed
 * again only when the server sent something new.
 */
function viewOf(doc: Y.Doc, presence: () => Raw['presence'], recorded: Uint8Array[]): View {
	let victims: number[] | null = null;
	let presenceSize = -1;
	doc.on('update', () => {
		victims = null;
	});
	return {
		doc,
		recorded,
		victims: () => {
			const seen = presence();
			if (victims === null || presenceSize !== seen.size) {
				presenceSize = seen.size;
				victims = [...seen.keys(), ...doc.store.clients.keys()];
			}
			return victims;
		}
	};
}

/**
 * One raw connection at a time to one document, opened again when the server closes it. Like a
 * stock client, it keeps its document across reconnections and asks only for what it lacks.
 */
class Attacker {
	raw: Raw | null = null;
	private readonly doc = new Y.Doc();
	readonly view: View;
	private opening = false;
	private stopped = false;
	sentThisSecond = 0;

	constructor(
		readonly target: FuzzTarget,
		private readonly counts: FuzzCounts
	) {
		this.view = viewOf(this.doc, () => this.raw?.presence ?? new Map(), target.recorded);
	}

	open(): void {
		if (this.opening || this.stopped) return;
		this.opening = true;
		openRaw(this.target.url, this.target.session, this.target.origin, this.doc)
			.then((raw) => {
				this.opening = false;
				if (this.stopped) return raw.ws.terminate();
				this.counts.opens++;
				raw.send(syncMessage(0, Y.encodeStateVector(raw.doc)));
				this.raw = raw;
				void raw.closed.then(({ code }) => {
					this.counts.closes[code] = (this.counts.closes[code] ?? 0) + 1;
					if (this.raw === raw) this.raw = null;
					setTimeout(() => this.open(), REOPEN_MS);
				});
			})
			.catch(() => {
				this.opening = false;
				this.counts.openFailures++;
				setTimeout(() => this.open(), REOPEN_MS * 25);
			});
	}

	get usable(): boolean {
		const raw = this.raw;
		return raw !== null && raw.ws.readyState === raw.ws.OPEN && raw.ws.bufferedAmount < 4 << 20;
	}

	stop(): void {
		this.stopped = true;
		this.raw?.ws.terminate();
		this.doc.destroy();
	}
}

/**
 * Sends `frames` frames at `rate` a second over `perTarget` connections per document (or more, for
 * the rate), then stops. Resolves with what was sent (`counts`, if given, is filled as it goes);
 * `shouldStop` ends it early.
 */
export async function runFuzzer(options: {
	targets: FuzzTarget[];
	perTarget: number;
	frames: number;
	rate: number;
	prng: Prng;
	counts?: FuzzCounts;
	shouldStop?: () => boolean;
}): Promise<FuzzCounts> {
	const counts = options.counts ?? emptyCounts();
	if (options.frames <= 0) return counts;
	const goal = counts.framesSent + options.frames;
	const connections = Math.max(
		options.targets.length * options.perTarget,
		Math.ceil(options.rate / FRAMES_PER_CONNECTION)
	);
	const attackers = Array.from(
		{ length: connections },
		(_, i) => new Attacker(options.targets[i % options.targets.length]!, counts)
	);
	attackers.forEach((a) => a.open());
	const { prng } = options;
	const started = Date.now();
	const sentBefore = counts.framesSent;
	let second = Math.floor(started / 1000);
	let lastTick = started;
	try {
		while (counts.framesSent < goal && !(options.shouldStop?.() ?? false)) {
			await new Promise((r) => setTimeout(r, TICK_MS));
			counts.ticks++;
			const now = Date.now();
			if (Math.floor(now / 1000) !== second) {
				second = Math.floor(now / 1000);
				attackers.forEach((a) => (a.sentThisSecond = 0));
			}
			// What the time since the last tick is worth (timers fire late on a busy machine), and never
			// more: frames not sent while connections were down are not sent in a burst afterwards.
			const due = Math.min(
				((now - started) / 1000) * options.rate - (counts.framesSent - sentBefore),
				(options.rate * (now - lastTick)) / 1000 + 1
			);
			lastTick = now;
			const making = performance.now();
			for (let n = 0; n < due && counts.framesSent < goal;) {
				const open = attackers.filter((a) => a.usable && a.sentThisSecond < PER_CONNECTION_RATE);
				if (open.length === 0) {
					counts.starvedTicks++;
					break;
				}
				const attacker = prng.pick(open);
				const mutation = prng.weighted(MUTATIONS);
				for (const frame of framesOf(mutation, attacker.view, prng).slice(
					0,
					goal - counts.framesSent
				)) {
					attacker.raw!.send(frame);
					attacker.sentThisSecond++;
					counts.framesSent++;
					n++;
				}
				counts.byMutation[mutation] = (counts.byMutation[mutation] ?? 0) + 1;
			}
			counts.mutateMs += performance.now() - making;
		}
	} finally {
		attackers.forEach((a) => a.stop());
	}
	return counts;
}
