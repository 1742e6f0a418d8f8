// Unique markers carried inside each benchmark update, so that the one load process can time every
// delivery on its own clock: `MRK<base-36 number>.`, stored as a Yjs string (UTF-8 in the update,
// found again by a byte search without decoding the update).
const PREFIX = Buffer.from('MRK');
const DOT = 0x2e;

export interface Sent {
	at: number;
	/** Who sent it (it does not count its own echo). */
	writer: number;
	/** How many other bench clients of the document must receive it. */
	expected: number;
	received: number;
	/** Which phase of a scenario it belongs to (S2's rate steps). */
	phase: number;
}

export class MarkerLog {
	private next = 1;
	readonly sent = new Map<number, Sent>();
	/** Delivery latencies (ms) per phase. */
	readonly latencies = new Map<number, number[]>();
	duplicates = 0;
	unknown = 0;
	/** Marker ids each watched receiver got (S5's observers), by receiver. */
	readonly seenBy = new Map<number, Set<number>>();

	/** From now on, remembers every marker this receiver gets. */
	watch(receiver: number): Set<number> {
		const seen = new Set<number>();
		this.seenBy.set(receiver, seen);
		return seen;
	}

	issue(writer: number, expected: number, phase: number): string {
		const id = this.next++;
		this.sent.set(id, { at: 0, writer, expected, received: 0, phase });
		return `MRK${id.toString(36)}.`;
	}

	/** The number a marker stands for (as `seenBy` holds it). */
	static idOf(marker: string): number {
		return parseInt(marker.slice(3, -1), 36);
	}

	/** The marker's send time, stamped just before the bytes go out. */
	stamp(marker: string, at: number): void {
		const entry = this.sent.get(MarkerLog.idOf(marker));
		if (entry !== undefined) entry.at = at;
	}

	/** Records every marker found in a message a client received. */
	scan(message: Buffer, receiver: number, now: number): void {
		let from = message.indexOf(PREFIX);
		while (from !== -1) {
			const start = from + PREFIX.length;
			const end = message.indexOf(DOT, start);
			if (end === -1) return;
			const id = parseInt(message.toString('latin1', start, end), 36);
			this.receive(id, receiver, now);
			from = message.indexOf(PREFIX, end);
		}
	}

	private receive(id: number, receiver: number, now: number): void {
		const entry = this.sent.get(id);
		if (entry === undefined) {
			this.unknown++;
			return;
		}
		this.seenBy.get(receiver)?.add(id);
		if (entry.writer === receiver) return; // Hocuspocus and the reference echo to the sender
		if (entry.received >= entry.expected) {
			this.duplicates++;
			return;
		}
		entry.received++;
		let list = this.latencies.get(entry.phase);
		if (list === undefined) this.latencies.set(entry.phase, (list = []));
		list.push(now - entry.at);
	}

	/** Deliveries still owed for a phase (all phases when omitted). */
	missing(phase?: number): number {
		let owed = 0;
		for (const entry of this.sent.values()) {
			if (phase === undefined || entry.phase === phase) owed += entry.expected - entry.received;
		}
		return owed;
	}

	expected(phase?: number): number {
		let total = 0;
		for (const entry of this.sent.values()) {
			if (phase === undefined || entry.phase === phase) total += entry.expected;
		}
		return total;
	}

	sentCount(phase: number): number {
		let n = 0;
		for (const entry of this.sent.values()) if (entry.phase === phase) n++;
		return n;
	}
}
