import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { publishCursor } from '../../src/lib/collab/remote-cursors';
import {
	IDS_PER_CONNECTION,
	judgeClaim,
	keepKnownFields,
	relayClock,
	remoteState,
	roomCap,
	splitRelays,
	stampState,
	TEXT_CHARS,
	type Claim
} from '../../src/lib/server/collab/engine/presence-policy';

const alice = { name: 'alice' };
const aliceAgain = { name: 'alice, reconnected' };
const bob = { name: 'bob' };
type Conn = { name: string };

function claim(overrides: Partial<Claim<Conn>>): Claim<Conn> {
	return {
		connection: alice,
		userId: 'u-alice',
		clock: 1,
		removal: false,
		owner: null,
		present: false,
		currentClock: 0,
		connectionIds: 0,
		roomEntries: 0,
		roomCap: roomCap(2),
		...overrides
	};
}

describe('who may speak for an awareness id', () => {
	it('accepts a free id, and the owner speaking for its own', () => {
		expect(judgeClaim(claim({}))).toBe('accept');
		const owner = { userId: 'u-alice', connection: alice };
		expect(
			judgeClaim(claim({ owner, present: true, currentClock: 3, clock: 4, connectionIds: 1 }))
		).toBe('accept');
		expect(
			judgeClaim(claim({ owner, present: true, currentClock: 4, clock: 5, removal: true }))
		).toBe('accept');
	});

	it('refuses another user a colleague’s id, present or gone, state or removal', () => {
		const held = { userId: 'u-alice', connection: alice };
		const left = { userId: 'u-alice', connection: null };
		const bobs = { connection: bob, userId: 'u-bob' };
		expect(
			judgeClaim(claim({ ...bobs, owner: held, present: true, currentClock: 3, clock: 99 }))
		).toBe('refuse-owned');
		expect(
			judgeClaim(
				claim({ ...bobs, owner: held, present: true, currentClock: 3, clock: 99, removal: true })
			)
		).toBe('refuse-owned');
		expect(
			judgeClaim(claim({ ...bobs, owner: left, present: false, currentClock: 3, clock: 99 }))
		).toBe('refuse-owned');
	});

	it('lets the same user take the id back on a new connection', () => {
		const left = { userId: 'u-alice', connection: null };
		expect(
			judgeClaim(claim({ connection: aliceAgain, owner: left, currentClock: 5, clock: 5 }))
		).toBe('take-back');
		// the old socket is not closed yet (a dead network): a newer state moves the id
		const stale = { userId: 'u-alice', connection: alice };
		expect(
			judgeClaim(
				claim({ connection: aliceAgain, owner: stale, present: true, currentClock: 5, clock: 6 })
			)
		).toBe('take-back');
	});

	it('ignores echoes: removals of absent ids and states no newer than the one shown', () => {
		const bobs = { connection: bob, userId: 'u-bob' };
		expect(judgeClaim(claim({ ...bobs, removal: true }))).toBe('ignore');
		expect(
			judgeClaim(claim({ ...bobs, removal: true, owner: { userId: 'u-alice', connection: null } }))
		).toBe('ignore');
		const held = { userId: 'u-alice', connection: alice };
		expect(
			judgeClaim(claim({ ...bobs, owner: held, present: true, currentClock: 4, clock: 4 }))
		).toBe('ignore');
		// a second tab of the same user echoing the first one's state does not take it
		expect(
			judgeClaim(
				claim({ connection: aliceAgain, owner: held, present: true, currentClock: 4, clock: 4 })
			)
		).toBe('ignore');
	});

	it('caps the ids of a connection and the entries of a room', () => {
		expect(judgeClaim(claim({ connectionIds: IDS_PER_CONNECTION - 1 }))).toBe('accept');
		expect(judgeClaim(claim({ connectionIds: IDS_PER_CONNECTION }))).toBe('refuse-cap');
		expect(judgeClaim(claim({ roomEntries: roomCap(2), roomCap: roomCap(2) }))).toBe('refuse-cap');
		expect(roomCap(3)).toBe(3 * IDS_PER_CONNECTION + 1);
	});

	it('relays a state that is new but no newer by its clock one past the last, and drops an echo', () => {
		expect(relayClock(7, 5, true)).toBe(7);
		expect(relayClock(5, 5, true)).toBe(6); // back after a reconnect, with the clock everyone saw removed
		expect(relayClock(0, 0, true)).toBe(1); // a stock provider's first state
		expect(relayClock(5, 5, false)).toBeNull(); // its own state, adopted from the server and echoed
	});
});

describe('which presence fields are relayed', () => {
	const doc = new Y.Doc();
	const text = doc.getText('plan');
	text.insert(0, 'Pansement à 8 h');
	const cursor = publishCursor(text, 'plan:7', 2, 5);
	const user = { id: 'u-alice', name: 'Alice Martin', colour: '#0f766e' };

	it('keeps a real cursor and selection, and stamps the user', () => {
		const state = JSON.parse(
			JSON.stringify({ cursor, selection: 'item:42', user: { name: 'forged' } })
		) as Record<string, unknown>;
		expect(stampState(state, user)).toEqual({ cursor, selection: 'item:42', user });
		expect(keepKnownFields({ cursor: null, selection: null })).toEqual({
			cursor: null,
			selection: null
		});
	});

	it('drops other fields, markup where a position belongs, wrong types and overlong text', () => {
		const markup = '<img src=x onerror=alert(1)>';
		expect(
			stampState(
				{
					name: markup,
					kring: { storage: 'unavailable' },
					cursor: { field: 'plan:7', anchor: markup, head: cursor.head },
					selection: 'x'.repeat(TEXT_CHARS + 1)
				},
				user
			)
		).toEqual({ user });
		expect(keepKnownFields({ cursor: { ...cursor, extra: 1 } })).toEqual({});
		expect(keepKnownFields({ cursor: 1, selection: 7 })).toEqual({});
		expect(keepKnownFields({ cursor: { ...cursor, field: 'f'.repeat(TEXT_CHARS + 1) } })).toEqual(
			{}
		);
	});

	it('checks presence from another instance again, stamp included', () => {
		expect(remoteState({ selection: 'card-7', user, name: 'x' })).toEqual({
			selection: 'card-7',
			user
		});
		expect(remoteState({ selection: 'card-7' })).toBeNull();
		expect(remoteState({ user: { ...user, name: 'n'.repeat(TEXT_CHARS + 1) } })).toBeNull();
	});
});

describe('splitting a relay', () => {
	it('keeps each relay within its entries and bytes, in order, and leaves out what cannot fit alone', () => {
		const items = Array.from({ length: 25 }, (_, i) => i);
		const { relays, tooLarge } = splitRelays(items, (i) => (i === 7 ? 1_000 : 10), {
			maxEntries: 4,
			maxBytes: 35
		});
		expect(tooLarge).toEqual([7]);
		expect(relays.flat()).toEqual(items.filter((i) => i !== 7));
		for (const relay of relays) {
			expect(relay.length).toBeLessThanOrEqual(3); // 3 × 10 bytes fit in 35, a fourth does not
		}
		expect(splitRelays([], () => 1, { maxEntries: 4, maxBytes: 35 }).relays).toEqual([]);
	});
});
