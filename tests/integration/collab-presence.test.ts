import { describe, expect, it } from 'vitest';
import { publishCursor } from '../../src/lib/collab/remote-cursors';
import { IDS_PER_CONNECTION } from '../../src/lib/server/collab/engine/presence-policy';
import { waitFor, type Client } from '../helpers/collab-client';
import type { Engine } from '../helpers/collab-engine-harness';
import { awarenessMessage } from '../helpers/collab-raw';
import { engineTestbed } from '../helpers/engine-testbed';

// Presence against a hostile member, with the engine in-process and its real parts (the Postgres
// store, the real authorizer, stock y-websocket clients for honest people, raw sockets for the
// attacker): floods are capped, not relayed back at the honest; an awareness id stays its user's;
// only the fields Kring's pages publish travel.

const bed = engineTestbed();
const { newDocName, raw } = bed;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const engine = () => bed.engine();

/** A stock provider, counting the times its connection closed. */
function connect(e: Engine, docName: string, who: 'alice' | 'bob') {
	const client = bed.connect(e, docName, who);
	const closes = { count: 0 };
	client.provider.on('connection-close', () => closes.count++);
	return { ...client, closes };
}

function stateIn(client: Client, clientId: number) {
	return client.provider.awareness.getStates().get(clientId) as Record<string, unknown> | undefined;
}

describe('presence, bounded and fair', () => {
	it('control: two honest clients see each other’s cursor and selection, stamped with their user', async () => {
		const e = await engine();
		const name = newDocName();
		const a = connect(e, name, 'alice');
		const b = connect(e, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		const plan = a.doc.getText('plan');
		plan.insert(0, 'Pansement à 8 h');
		const cursor = publishCursor(plan, 'plan:1', 3, 7);
		a.provider.awareness.setLocalStateField('cursor', cursor);
		a.provider.awareness.setLocalStateField('selection', 'plan:1');
		b.provider.awareness.setLocalStateField('selection', 'item:2');
		await waitFor(
			() => stateIn(b, a.doc.clientID)?.selection === 'plan:1',
			'alice’s presence at bob'
		);
		await waitFor(
			() => stateIn(a, b.doc.clientID)?.selection === 'item:2',
			'bob’s presence at alice'
		);
		expect(stateIn(b, a.doc.clientID)?.cursor).toEqual(JSON.parse(JSON.stringify(cursor)));
		expect(stateIn(b, a.doc.clientID)?.user).toMatchObject({
			id: bed.team.alice.id,
			name: 'Alice Martin'
		});
		expect(e.collab.stats.presenceRefused + e.collab.stats.presenceOverCap).toBe(0);
	});

	it(
		'drops a flood of 1,500 entries past the cap, and no honest client is disconnected over 15 s',
		{ timeout: 40_000 },
		async () => {
			const e = await engine();
			const name = newDocName();
			const a = connect(e, name, 'alice');
			const b = connect(e, name, 'bob');
			await Promise.all([a.synced, b.synced]);
			a.provider.awareness.setLocalStateField('selection', 'a');
			b.provider.awareness.setLocalStateField('selection', 'b');
			await waitFor(
				() =>
					stateIn(a, b.doc.clientID)?.selection === 'b' &&
					stateIn(b, a.doc.clientID)?.selection === 'a',
				'each other'
			);

			const flooder = await raw(e, name, 'bob');
			const flood = (from: number) =>
				awarenessMessage(
					Array.from({ length: 750 }, (_, i) => ({
						clientId: 5_000_000 + from + i,
						clock: 1,
						state: { selection: 'x' }
					}))
				);
			flooder.send(flood(0));
			flooder.send(flood(750));
			await waitFor(
				() => e.collab.stats.presenceOverCap >= 1_500 - IDS_PER_CONNECTION,
				'the flood to be judged'
			);
			expect(e.collab.stats.presenceOverCap).toBe(1_500 - IDS_PER_CONNECTION);

			await sleep(15_000);
			expect(a.closes.count + b.closes.count).toBe(0);
			expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
			expect(e.collab.stats.protocolErrors).toBe(0);
			const flooded = (c: Client) =>
				[...c.provider.awareness.getStates().keys()].filter(
					(id) => id >= 5_000_000 && id < 5_001_500
				);
			expect(flooded(a)).toHaveLength(IDS_PER_CONNECTION);
			expect(flooded(b)).toHaveLength(IDS_PER_CONNECTION);
			// they still see each other, and a change after the flood
			a.provider.awareness.setLocalStateField('selection', 'a, later');
			await waitFor(
				() => stateIn(b, a.doc.clientID)?.selection === 'a, later',
				'a change after the flood'
			);
			expect(stateIn(a, b.doc.clientID)?.selection).toBe('b');
		}
	);

	it('shows a member again at once when they reconnect with the same client id', async () => {
		const e = await engine();
		const name = newDocName();
		const a = connect(e, name, 'alice');
		const b = connect(e, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		const aliceId = a.doc.clientID;
		a.provider.awareness.setLocalStateField('selection', 'item:1');
		await waitFor(() => stateIn(b, aliceId)?.selection === 'item:1', 'alice at bob');

		for (let round = 1; round <= 2; round++) {
			a.provider.disconnect();
			await waitFor(
				() => stateIn(b, aliceId) === undefined,
				`alice gone from bob (round ${round})`
			);
			await sleep(200); // bob's provider echoes her removal to the server meanwhile
			a.provider.connect();
			// well before the provider's own 15 s renewal
			await waitFor(
				() => stateIn(b, aliceId)?.selection === 'item:1',
				`alice back at bob (round ${round})`,
				5_000
			);
		}
		a.provider.awareness.setLocalStateField('selection', 'item:3');
		await waitFor(
			() => stateIn(b, aliceId)?.selection === 'item:3',
			'alice moving after her return'
		);
		expect(b.closes.count).toBe(0);
	});

	it('refuses another user claiming or removing a colleague’s id, present or away', async () => {
		const e = await engine();
		const name = newDocName();
		const a = connect(e, name, 'alice');
		const b = connect(e, name, 'bob');
		await Promise.all([a.synced, b.synced]);
		const aliceId = a.doc.clientID;
		a.provider.awareness.setLocalStateField('selection', 'item:1');
		await waitFor(() => stateIn(b, aliceId)?.selection === 'item:1', 'alice at bob');

		const mallory = await raw(e, name, 'bob');
		mallory.send(
			awarenessMessage([{ clientId: aliceId, clock: 1_000, state: { selection: 'forged' } }])
		);
		mallory.send(awarenessMessage([{ clientId: aliceId, clock: 2_000, state: null }]));
		mallory.send(
			awarenessMessage([{ clientId: 4_242_424, clock: 1, state: { selection: 'mine' } }])
		);
		// one connection's messages are handled in order: once her own shows, the rest was judged
		await waitFor(() => stateIn(b, 4_242_424)?.selection === 'mine', 'mallory’s own presence');
		expect(e.collab.stats.presenceRefused).toBe(2);
		expect(stateIn(b, aliceId)?.selection).toBe('item:1');
		expect(stateIn(b, aliceId)?.user).toMatchObject({ id: bed.team.alice.id });

		// while alice is away, her id is still hers
		a.provider.disconnect();
		await waitFor(() => stateIn(b, aliceId) === undefined, 'alice gone');
		mallory.send(
			awarenessMessage([{ clientId: aliceId, clock: 3_000, state: { selection: 'forged' } }])
		);
		mallory.send(
			awarenessMessage([{ clientId: 4_242_424, clock: 2, state: { selection: 'mine, again' } }])
		);
		await waitFor(
			() => stateIn(b, 4_242_424)?.selection === 'mine, again',
			'mallory’s second message'
		);
		expect(stateIn(b, aliceId)).toBeUndefined();
		expect(e.collab.stats.presenceRefused).toBe(3);
		a.provider.connect();
		await waitFor(() => stateIn(b, aliceId)?.selection === 'item:1', 'alice back', 5_000);
		expect(stateIn(b, aliceId)?.user).toMatchObject({ id: bed.team.alice.id });
		expect(mallory.ws.readyState).toBe(mallory.ws.OPEN);
	});

	it('relays only the fields Kring’s pages use: markup in a name or a cursor does not travel', async () => {
		const e = await engine();
		const name = newDocName();
		const watcher = await raw(e, name, 'bob');
		const sender = await raw(e, name, 'alice');
		const markup = '<img src=x onerror=alert(1)>';
		sender.send(
			awarenessMessage([
				{
					clientId: 777,
					clock: 1,
					state: {
						name: markup,
						cursor: { field: 'plan:1', anchor: markup, head: { item: { client: 1, clock: 0 } } },
						selection: 'item:9',
						user: { name: markup },
						kring: { storage: 'unavailable', since: 'now' }
					}
				}
			])
		);
		await waitFor(() => watcher.presence.get(777) !== undefined, 'the sender’s presence');
		expect(watcher.presence.get(777)?.state).toEqual({
			selection: 'item:9',
			user: { id: bed.team.alice.id, name: 'Alice Martin', colour: expect.any(String) as string }
		});
		expect(JSON.stringify([...watcher.presence.values()])).not.toContain('<img');
	});
});
