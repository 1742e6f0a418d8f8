import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { PresenceFanout } from '../../src/lib/server/collab/engine/presence-fanout';
import { RELAY_BYTES, RELAY_ENTRIES } from '../../src/lib/server/collab/engine/presence-policy';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The server's awareness of a room, a fanout on it, and a copy that applies what it sends. */
function room(windowMs: number) {
	const awareness = new awarenessProtocol.Awareness(new Y.Doc());
	awareness.setLocalState(null);
	const sent: Uint8Array[] = [];
	const fanout = new PresenceFanout(awareness, (message) => sent.push(message), windowMs);
	awareness.on(
		'update',
		({ added, updated, removed }: Record<'added' | 'updated' | 'removed', number[]>) =>
			fanout.add([...added, ...updated, ...removed])
	);
	const seen = new awarenessProtocol.Awareness(new Y.Doc());
	const replay = () => {
		for (const message of sent.splice(0)) {
			// the message is [type 1, length-prefixed update]: the update follows a one-byte type and its length
			const update = message.subarray(1 + varUintLength(message.subarray(1)));
			awarenessProtocol.applyAwarenessUpdate(seen, update, 'server');
		}
	};
	/** A client's state arriving at the server, as receiveAwareness applies it. */
	const arrive = (clientId: number, clock: number, state: Record<string, unknown> | null) => {
		const other = new awarenessProtocol.Awareness(new Y.Doc());
		other.clientID = clientId;
		other.meta.set(clientId, { clock: clock - 1, lastUpdated: 0 });
		other.setLocalState(state);
		awarenessProtocol.applyAwarenessUpdate(
			awareness,
			awarenessProtocol.encodeAwarenessUpdate(other, [clientId]),
			'client'
		);
		other.destroy();
	};
	return { awareness, fanout, sent, seen, replay, arrive };
}

function varUintLength(bytes: Uint8Array): number {
	let n = 0;
	while ((bytes[n]! & 0x80) !== 0) n++;
	return n + 1;
}

describe('presence fan-out', () => {
	it('sends the changes of a window together, each client with its latest state', async () => {
		const r = room(30);
		for (let clock = 1; clock <= 5; clock++)
			for (let id = 100; id < 130; id++) r.arrive(id, clock, { cursor: clock, id });
		expect(r.sent).toHaveLength(0);
		await sleep(60);
		expect(r.sent).toHaveLength(1);
		r.replay();
		const others = [...r.seen.getStates().keys()].filter((id) => id !== r.seen.clientID);
		expect(others.sort()).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
		for (let id = 100; id < 130; id++)
			expect(r.seen.getStates().get(id)).toEqual({ cursor: 5, id });
		r.awareness.destroy();
	});

	it('sends removals, so a client that left disappears everywhere', async () => {
		const r = room(10);
		r.arrive(7, 1, { cursor: 1 });
		r.fanout.flush();
		r.replay();
		expect(r.seen.getStates().has(7)).toBe(true);
		awarenessProtocol.removeAwarenessStates(r.awareness, [7], null);
		await sleep(30);
		r.replay();
		expect(r.seen.getStates().has(7)).toBe(false);
		r.awareness.destroy();
	});

	it('drops its pending batch and its timer when the room is destroyed', async () => {
		const r = room(20);
		r.arrive(9, 1, { cursor: 1 });
		expect(r.fanout.waiting).toBe(true);
		r.awareness.destroy();
		expect(r.fanout.waiting).toBe(false);
		await sleep(40);
		expect(r.sent).toHaveLength(0);
	});

	it('splits a large batch into relays a client could echo back, and loses no one', async () => {
		const r = room(10);
		const wide = 'w'.repeat(2_000);
		for (let id = 1; id <= 250; id++) r.arrive(id, 1, { selection: `${id}:${wide}` });
		await sleep(30);
		expect(r.sent.length).toBeGreaterThanOrEqual(Math.ceil(250 / RELAY_ENTRIES));
		for (const message of r.sent) expect(message.byteLength).toBeLessThanOrEqual(RELAY_BYTES + 16);
		r.replay();
		const others = [...r.seen.getStates().keys()].filter((id) => id !== r.seen.clientID);
		expect(others).toHaveLength(250);
		r.awareness.destroy();
	});
});
