import { describe, expect, it } from 'vitest';
import { FairLane, type LaneConnection } from '../../src/lib/server/collab/engine/fair-lane';

function connection(userId: string) {
	const c = {
		capability: { userId },
		socket: {
			readyState: 1,
			paused: false,
			pause() {
				c.socket.paused = true;
			},
			resume() {
				c.socket.paused = false;
			}
		}
	};
	return c satisfies LaneConnection;
}

const lane = (errors: unknown[] = []) =>
	new FairLane<ReturnType<typeof connection>>(
		{ perSecond: 10, burst: 20, sliceMs: 4, maxQueued: 8, maxQueuedBytes: 1_000 },
		(error) => errors.push(error)
	);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
async function settled(l: FairLane<ReturnType<typeof connection>>) {
	while (l.size > 0) await turn();
}

describe('the fair lane', () => {
	it('handles a member within their share at once', () => {
		const l = lane();
		const seen: number[] = [];
		const a = connection('a');
		const now = Array.from({ length: 20 }, (_, i) => l.submit(a, 10, () => seen.push(i)));
		expect(now.every(Boolean)).toBe(true);
		expect(seen).toHaveLength(20);
		expect(l.size).toBe(0);
	});

	it('queues a flood behind everyone else, handles all of it in order, and pauses its socket', async () => {
		const l = lane();
		const order: string[] = [];
		const flooder = connection('flooder');
		const honest = connection('honest');
		const now = Array.from({ length: 30 }, (_, i) =>
			l.submit(flooder, 10, () => order.push(`f${i}`))
		);
		// Told which waited: the engine counts them (`deferred`).
		expect(now.filter((ran) => !ran)).toHaveLength(10);
		expect(l.submit(honest, 10, () => order.push('h'))).toBe(true);
		// The honest message went first, while ten of the flood wait (and more than 8: paused).
		expect(order).toContain('h');
		expect(order.indexOf('h')).toBe(20);
		expect(l.size).toBe(10);
		expect(flooder.socket.paused).toBe(true);
		await settled(l);
		expect(order.filter((o) => o !== 'h')).toEqual(Array.from({ length: 30 }, (_, i) => `f${i}`));
		expect(flooder.socket.paused).toBe(false);
	});

	it('keeps a connection in order once it has something queued, even with budget back', async () => {
		const l = lane();
		const order: number[] = [];
		const a = connection('a');
		for (let i = 0; i < 21; i++) l.submit(a, 10, () => order.push(i));
		expect(l.size).toBe(1);
		// Another connection of someone else is not held up; `a` waits behind its own queue.
		const b = connection('b');
		l.submit(b, 10, () => order.push(100));
		l.submit(a, 10, () => order.push(21));
		expect(order.at(-1)).toBe(100);
		await settled(l);
		expect(order.filter((o) => o !== 100)).toEqual(Array.from({ length: 22 }, (_, i) => i));
	});

	it('drops what waits for a connection closed since, and reports a handler that throws', async () => {
		const errors: unknown[] = [];
		const l = lane(errors);
		const a = connection('a');
		const handled: number[] = [];
		for (let i = 0; i < 20; i++) l.submit(a, 10, () => handled.push(i));
		l.submit(a, 10, () => {
			throw new Error('boom');
		});
		l.submit(a, 10, () => handled.push(99));
		await settled(l);
		expect(errors).toHaveLength(1);
		expect(handled.at(-1)).toBe(99);

		for (let i = 0; i < 10; i++) l.submit(a, 10, () => handled.push(1_000 + i));
		expect(a.socket.paused).toBe(true);
		// Closed by the server meanwhile (closing): nothing more is handled, and the socket is read
		// again, for the client's closing frame.
		a.socket.readyState = 2;
		await settled(l);
		expect(handled.filter((h) => h >= 1_000)).toEqual([]);
		expect(a.socket.paused).toBe(false);
	});

	it('pauses on bytes as well as on messages', () => {
		const l = lane();
		const a = connection('a');
		for (let i = 0; i < 20; i++) l.submit(a, 10, () => {});
		l.submit(a, 600, () => {});
		expect(a.socket.paused).toBe(false);
		l.submit(a, 600, () => {});
		expect(a.socket.paused).toBe(true);
	});
});
