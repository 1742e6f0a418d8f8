import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { framesOf, type View } from '../fuzz/mutators';
import { Prng } from '../fuzz/prng';

// The long fuzz's forged inserts are encoded by hand (mutators.ts): they must be what Yjs itself
// would make, a struct under the victim's id at their next clock, or the fuzz would test the
// decoder's refusals instead of the server's ownership of client ids.

/** A caseload with a card (notes with a few edits) and a meeting's notes: every place forged into. */
function victimDoc(): Y.Doc {
	const doc = new Y.Doc();
	const card = new Y.Map<unknown>();
	doc.getMap('clients').set('c1', card);
	const notes = new Y.Text();
	card.set('notes', notes);
	card.set('carePlan', new Y.Text());
	notes.insert(0, 'Passage du matin');
	notes.insert(7, 'rapide ');
	notes.delete(0, 3);
	doc.getText('notes').insert(0, 'Ordre du jour');
	return doc;
}

/** The update a sync message carries. */
function payloadOf(frame: Uint8Array): Uint8Array {
	const decoder = decoding.createDecoder(frame);
	expect(decoding.readVarUint(decoder)).toBe(0); // sync
	expect(decoding.readVarUint(decoder)).toBe(2); // update
	return decoding.readVarUint8Array(decoder);
}

/** Every string a document holds in its texts and maps, as JSON. */
const contentOf = (doc: Y.Doc) =>
	JSON.stringify({
		clients: doc.getMap('clients').toJSON(),
		notes: doc.getText('notes').toString(),
		agenda: doc.getMap('agenda').toJSON(),
		visits: doc.getMap('visits').toJSON()
	});

describe('forged inserts of the fuzz', () => {
	it('are one struct under the victim’s id at their next clock, applied as Yjs applies its own', () => {
		const doc = victimDoc();
		const victim = doc.clientID;
		const view: View = { doc, victims: () => [victim], recorded: [] };
		const prng = new Prng(20261205);
		let inTexts = 0;
		for (let n = 0; n < 200; n++) {
			const update = payloadOf(framesOf('forgedInsert', view, prng)[0]!);
			const { structs, ds } = Y.decodeUpdate(update);
			expect(structs).toHaveLength(1);
			expect(structs[0]!.id).toEqual(Y.createID(victim, Y.getState(doc.store, victim)));
			expect(ds.clients.size).toBe(0);
			// Applied to a copy, it lands whole (nothing pending), and only adds the forged content.
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
			const before = contentOf(copy);
			Y.applyUpdate(copy, update);
			expect(copy.store.pendingStructs).toBeNull();
			const after = contentOf(copy);
			expect(after).not.toBe(before);
			if (after.includes(`forged ${victim} `)) inTexts++;
			else expect(after).toMatch(/"forged-\d+":\{"by":\d+\}/);
			copy.destroy();
		}
		// Both kinds are made: into the texts (most) and as new keys of a map.
		expect(inTexts).toBeGreaterThan(100);
		expect(inTexts).toBeLessThan(200);
		// The attacker's own copy is only read.
		expect(contentOf(doc)).not.toContain('forged');
	});

	it('with a gap, wait for clocks nobody sent (a pending struct)', () => {
		const doc = victimDoc();
		const view: View = { doc, victims: () => [doc.clientID], recorded: [] };
		const prng = new Prng(7);
		for (let n = 0; n < 20; n++) {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
			Y.applyUpdate(copy, payloadOf(framesOf('forgedGap', view, prng)[0]!));
			expect(copy.store.pendingStructs).not.toBeNull();
			copy.destroy();
		}
	});
});
