// What the fuzzer sends: frames recorded from stock clients, mutated, and hostile frames built from
// what an ordinary member's raw connection can see (presence ids, the document's state vector).
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { awarenessMessage, syncMessage, updateOf } from '../helpers/collab-raw';
import type { Prng } from './prng';

const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
/** Just over the server's 1 MiB message limit. */
const OVERSIZED = 1024 * 1024 + 17;
const MARKUP = [
	'<img src=x onerror=alert(1)>',
	'<script>alert(document.cookie)</script>',
	'"><svg onload=alert(1)>',
	'javascript:alert(1)'
];
const ODD_KEYS = [
	'a\u0000b',
	'\u0000',
	'\ud800',
	'x\udfffy',
	'\u2028\u2029',
	'\ufeff',
	'\u202eevil',
	'😀\u200d',
	'\\x00',
	'k'.repeat(10_000)
];

export const MUTATIONS = {
	replay: 4,
	duplicate: 3,
	reorder: 3,
	bitFlip: 12,
	truncate: 8,
	hugeVarint: 6,
	garbage: 3,
	stateVector: 2,
	forgedInsert: 8,
	forgedGap: 4,
	preDelete: 6,
	pending: 5,
	oddKeys: 6,
	oversized: 0.3,
	awarenessFlood: 1,
	awarenessForged: 3
} as const;
export type Mutation = keyof typeof MUTATIONS;

/** What a raw connection of the attacker knows when it makes its next frames. */
export interface View {
	/** The document as the server relayed it to this attacker, over all its connections (only read). */
	doc: Y.Doc;
	/** Client ids that are somebody else's: in presence, or in the document (cached). */
	victims(): number[];
	/** Frames recorded from stock clients, in the order each client sent them. */
	recorded: Uint8Array[];
}

/** One or more frames of the given mutation (several for duplicates and reorders). */
export function framesOf(mutation: Mutation, view: View, prng: Prng): Uint8Array[] {
	const recorded = () => prng.pick(view.recorded);
	switch (mutation) {
		case 'replay':
			return [recorded()];
		case 'duplicate': {
			const frame = recorded();
			return [frame, frame];
		}
		case 'reorder': {
			const start = prng.int(0, Math.max(0, view.recorded.length - 4));
			return view.recorded.slice(start, start + prng.int(2, 4)).reverse();
		}
		case 'bitFlip': {
			const frame = recorded().slice();
			for (let flips = prng.int(1, 8); flips > 0; flips--)
				frame[prng.int(0, frame.length - 1)]! ^= 1 << prng.int(0, 7);
			return [frame];
		}
		case 'truncate': {
			const frame = recorded();
			return [frame.slice(0, prng.int(0, Math.max(0, frame.length - 1)))];
		}
		case 'hugeVarint':
			return [hugeVarint(recorded(), prng)];
		case 'garbage':
			return [prng.bytes(prng.int(1, 256))];
		case 'stateVector':
			return [
				syncMessage(
					STEP1,
					prng.chance(0.5) ? prng.bytes(prng.int(0, 64)) : forgedStateVector(view, prng)
				)
			];
		case 'forgedInsert':
			return [syncMessage(UPDATE, forgedInsert(view, prng, 0))];
		case 'forgedGap':
			return [syncMessage(UPDATE, forgedInsert(view, prng, prng.int(1, 50)))];
		case 'preDelete':
			return [syncMessage(prng.chance(0.8) ? UPDATE : STEP2, preDelete(view, prng))];
		case 'pending':
			return [syncMessage(UPDATE, pending(prng))];
		case 'oddKeys':
			return [syncMessage(UPDATE, oddKeys(prng))];
		case 'oversized':
			return [syncMessage(UPDATE, oversized(prng))];
		case 'awarenessFlood':
			return [flood(view, prng)];
		case 'awarenessForged':
			return [
				awarenessMessage([
					{
						clientId: victimOf(view, prng),
						clock: prng.chance(0.5) ? 2 ** 31 : prng.int(0, 1000),
						state: prng.chance(0.5) ? null : markupState(prng)
					}
				])
			];
	}
}

/** A client id that is somebody else's: from presence, else from the document's state vector. */
function victimOf(view: View, prng: Prng): number {
	const known = view.victims();
	return known.length > 0 ? prng.pick(known) : prng.int(1, 2 ** 31);
}

function hugeVarint(frame: Uint8Array, prng: Prng): Uint8Array {
	// Ten continuation bytes then a terminator: more than 2^53, where lib0's varints stop being exact.
	const huge = Uint8Array.from([...new Array<number>(prng.int(5, 12)).fill(0xff), 0x7f]);
	const at = prng.int(0, Math.min(frame.length, 4));
	const out = new Uint8Array(frame.length + huge.length);
	out.set(frame.subarray(0, at));
	out.set(huge, at);
	out.set(frame.subarray(at), at + huge.length);
	if (prng.chance(0.5)) return out;
	// Or a length prefix claiming far more than the frame holds.
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, prng.pick([STEP1, STEP2, UPDATE]));
	encoding.writeVarUint(encoder, prng.pick([2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER]));
	encoding.writeUint8Array(encoder, frame.subarray(0, 32));
	return encoding.toUint8Array(encoder);
}

function forgedStateVector(view: View, prng: Prng): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint(encoder, victimOf(view, prng));
	encoding.writeVarUint(encoder, prng.int(0, 2 ** 31));
	return encoding.toUint8Array(encoder);
}

/**
 * An insert under someone else's client id, at their next clock as this connection sees it (plus
 * `gap`: a gap leaves the struct pending), into a text the document's pages edit (after one of its
 * items) or as a new key of a map.
 *
 * Encoded by hand (Yjs's update format, V1: one struct, no deletions), so the connection's copy of
 * the document is only read: it is kept across the connection's reopenings, as a stock client
 * keeps its document, and reconnects ask only for what it lacks. Forging in a copy cost the
 * fuzzer's thread half a core (a fresh copy per frame), then a whole document replayed at every
 * reopening (the forged copy had to go with its connection).
 */
function forgedInsert(view: View, prng: Prng, gap: number): Uint8Array {
	const victim = victimOf(view, prng);
	const clock = Y.getState(view.doc.store, victim) + gap;
	const texts = textsOf(view.doc);
	if (texts.length > 0 && prng.chance(0.7)) {
		const { text, parent } = prng.pick(texts);
		// After an item some way into the text (its last character), before the one that follows.
		let after = text._start;
		for (let steps = prng.int(0, 20); steps > 0 && after?.right; steps--) after = after.right;
		return forgedStruct(victim, clock, {
			origin:
				after === null ? null : Y.createID(after.id.client, after.id.clock + after.length - 1),
			rightOrigin: after?.right?.id ?? null,
			parent,
			parentSub: null,
			content: { text: `forged ${victim} ` }
		});
	}
	return forgedStruct(victim, clock, {
		origin: null,
		rightOrigin: null,
		parent: { key: prng.pick(['clients', 'visits', 'agenda']) },
		parentSub: `forged-${prng.int(0, 1e6)}`,
		content: { any: [{ by: victim }] }
	});
}

/** Where a struct sits: after `origin`, before `rightOrigin`, else at the start of `parent`. */
interface Placing {
	origin: Y.ID | null;
	rightOrigin: Y.ID | null;
	/** A root type by its name, or a nested one by the id of the item that holds it. */
	parent: { key: string } | { id: Y.ID };
	/** A map's key. */
	parentSub: string | null;
	content: { text: string } | { any: unknown[] };
}

/**
 * An update of one struct, `client` at `clock`, as Yjs's V1 encoder writes it (Item.write): the
 * info byte (content ref, then flags for origin, right origin and key), the origins, the parent
 * only when neither origin says it, then the content; and an empty delete set.
 */
function forgedStruct(client: number, clock: number, at: Placing): Uint8Array {
	const CONTENT_STRING = 4;
	const CONTENT_ANY = 8;
	const encoder = encoding.createEncoder();
	const writeId = (id: Y.ID) => {
		encoding.writeVarUint(encoder, id.client);
		encoding.writeVarUint(encoder, id.clock);
	};
	encoding.writeVarUint(encoder, 1); // one client
	encoding.writeVarUint(encoder, 1); // one struct
	encoding.writeVarUint(encoder, client);
	encoding.writeVarUint(encoder, clock);
	encoding.writeUint8(
		encoder,
		('text' in at.content ? CONTENT_STRING : CONTENT_ANY) |
			(at.origin === null ? 0 : 0x80) |
			(at.rightOrigin === null ? 0 : 0x40) |
			(at.parentSub === null ? 0 : 0x20)
	);
	if (at.origin !== null) writeId(at.origin);
	if (at.rightOrigin !== null) writeId(at.rightOrigin);
	if (at.origin === null && at.rightOrigin === null) {
		encoding.writeVarUint(encoder, 'key' in at.parent ? 1 : 0);
		if ('key' in at.parent) encoding.writeVarString(encoder, at.parent.key);
		else writeId(at.parent.id);
		if (at.parentSub !== null) encoding.writeVarString(encoder, at.parentSub);
	}
	if ('text' in at.content) encoding.writeVarString(encoder, at.content.text);
	else {
		encoding.writeVarUint(encoder, at.content.any.length);
		for (const value of at.content.any)
			encoding.writeAny(encoder, value as Parameters<typeof encoding.writeAny>[1]);
	}
	encoding.writeVarUint(encoder, 0); // no deletions
	return encoding.toUint8Array(encoder);
}

/** The texts the pages edit, each with its parent as an update names it: the meeting's notes, every card's notes and care plan. */
function textsOf(doc: Y.Doc): { text: Y.Text; parent: Placing['parent'] }[] {
	const texts: { text: Y.Text; parent: Placing['parent'] }[] = [];
	if (doc.share.has('notes')) texts.push({ text: doc.getText('notes'), parent: { key: 'notes' } });
	if (doc.share.has('clients'))
		for (const card of doc.getMap('clients').values())
			if (card instanceof Y.Map)
				for (const field of ['notes', 'carePlan']) {
					const text: unknown = card.get(field);
					if (text instanceof Y.Text && text._item !== null)
						texts.push({ text, parent: { id: text._item.id } });
				}
	return texts;
}

/**
 * An update holding no structs, only a delete set naming a victim's clocks from the next one this
 * connection sees up to a million further: clocks nobody has written yet.
 */
function preDelete(view: View, prng: Prng): Uint8Array {
	const victim = victimOf(view, prng);
	const clock = Y.getState(view.doc.store, victim);
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0); // no structs
	encoding.writeVarUint(encoder, 1); // one client in the delete set
	encoding.writeVarUint(encoder, victim);
	encoding.writeVarUint(encoder, 1); // one range
	encoding.writeVarUint(encoder, clock);
	encoding.writeVarUint(encoder, prng.pick([1000, 1_000_000, 1_000_000]));
	return encoding.toUint8Array(encoder);
}

/** The second of two updates of a fresh client: its first clocks are missing (a pending struct). */
function pending(prng: Prng): Uint8Array {
	const doc = new Y.Doc();
	let last: Uint8Array | null = null;
	doc.on('update', (update: Uint8Array) => (last = update));
	doc.getText('notes').insert(0, 'first ');
	doc.getText('notes').insert(prng.int(0, 6), 'second');
	doc.destroy();
	return last!;
}

function oddKeys(prng: Prng): Uint8Array {
	const key = prng.pick(ODD_KEYS);
	return updateOf((doc) => {
		if (prng.chance(0.2)) doc.getMap(key).set('v', 1);
		else
			doc
				.getMap(prng.pick(['clients', 'visits', 'agenda', 'meta', 'fuzz']))
				.set(key, prng.pick([1, key, { key }]));
	});
}

function markupState(prng: Prng): Record<string, unknown> {
	const markup = prng.pick(MARKUP);
	return {
		user: { name: markup, color: markup },
		name: markup,
		cursor: { anchor: markup, head: { '<b>': markup } },
		kring: { storage: 'unavailable', since: markup }
	};
}

/** Random megabytes are costly to make: one buffer per run, its head made fresh each time. */
let bulk: Uint8Array | null = null;
function oversized(prng: Prng): Uint8Array {
	bulk ??= prng.bytes(OVERSIZED);
	bulk.set(prng.bytes(64));
	return bulk;
}

/** A flood takes ~50 ms to make: a few are made and each sent several times. */
const floods: Uint8Array[] = [];
let floodUses = 0;
function flood(view: View, prng: Prng): Uint8Array {
	if (floods.length < 4 || ++floodUses % 16 === 0) {
		floods.splice(prng.int(0, 3), floods.length < 4 ? 0 : 1, awarenessFlood(view, prng));
		return floods[floods.length - 1]!;
	}
	return prng.pick(floods);
}

function awarenessFlood(view: View, prng: Prng): Uint8Array {
	const entries = [];
	for (let n = prng.int(1000, 1500); n > 0; n--)
		entries.push({
			clientId: prng.chance(0.1) ? victimOf(view, prng) : prng.int(1, 2 ** 31),
			clock: prng.int(0, 2 ** 31),
			state: markupState(prng)
		});
	return awarenessMessage(entries);
}
