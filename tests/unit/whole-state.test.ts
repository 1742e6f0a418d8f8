import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { WholeState } from '../../src/lib/server/collab/engine/whole-state';
import { Prng } from '../fuzz/prng';

/** Applies sync answers (updates, then step 2) to `doc`, as a stock client would. */
function receive(doc: Y.Doc, messages: Uint8Array[]): Y.Doc {
	messages.forEach((message, i) => {
		const decoder = decoding.createDecoder(message);
		expect(decoding.readVarUint(decoder), 'a sync message').toBe(0);
		// A stock client counts itself synced on sync step 2: it must come last, with all before it.
		expect(decoding.readVarUint(decoder), 'updates first, then sync step 2').toBe(
			i === messages.length - 1 ? 1 : 2
		);
		Y.applyUpdate(doc, decoding.readVarUint8Array(decoder));
	});
	return doc;
}

function edit(doc: Y.Doc, prng: Prng): void {
	const text = doc.getText('notes');
	const choice = prng.int(0, 2);
	if (choice === 0) text.insert(prng.int(0, text.length), `mot ${prng.int(0, 999)} `);
	else if (choice === 1 && text.length > 4) text.delete(prng.int(0, text.length - 4), 3);
	else doc.getMap('card').set(`k${prng.int(0, 20)}`, prng.int(0, 1_000));
}

function expectSame(doc: Y.Doc, server: Y.Doc): void {
	expect(doc.getText('notes').toString()).toBe(server.getText('notes').toString());
	expect(doc.getMap('card').toJSON()).toEqual(server.getMap('card').toJSON());
	expect(Y.decodeStateVector(Y.encodeStateVector(doc))).toEqual(
		Y.decodeStateVector(Y.encodeStateVector(server))
	);
	// Nothing left waiting for a missing dependency.
	expect(doc.store.pendingStructs).toBeNull();
	expect(doc.store.pendingDs).toBeNull();
}

/** A server document whose updates feed a WholeState, counting the whole encodings it asks for. */
function serverWithWholeState(whole = new WholeState()) {
	const doc = new Y.Doc();
	doc.on('update', (update: Uint8Array) => whole.applied(update));
	let encodings = 0;
	const ask = (client: Y.Doc) => {
		const vector = Y.encodeStateVector(client);
		return whole.answer(vector, Y.decodeStateVector(vector), () => {
			encodings++;
			return { update: Y.encodeStateAsUpdate(doc), vector: Y.encodeStateVector(doc) };
		});
	};
	return { doc, whole, ask, encodings: () => encodings };
}

describe('sync answers from one whole encoding and the updates since', () => {
	it('bring newcomers and clients in step to the current state at any moment, with few encodings', () => {
		const prng = new Prng(20261204);
		// No floor under the share: this small document gets a fresh base now and then, so that a
		// client away meanwhile lacks part of it and needs an exact answer.
		const server = serverWithWholeState(new WholeState({ ratio: 0.25, maxUpdates: 2_000 }));
		const writers = [new Y.Doc(), new Y.Doc()];
		// Clients that stay and ask again (Kring's client asks after its edits), and one that went
		// away for a while and may lack part of the base.
		const stayers = [new Y.Doc(), new Y.Doc()];
		const away = new Y.Doc();
		let shared = 0;
		let exact = 0;
		for (let step = 0; step < 400; step++) {
			const writer = prng.pick(writers);
			const before = Y.encodeStateVector(writer);
			edit(writer, prng);
			Y.applyUpdate(server.doc, Y.encodeStateAsUpdate(writer, before));
			// Writers learn each other's edits, so deletes reach across authors.
			for (const other of writers) Y.applyUpdate(other, Y.encodeStateAsUpdate(server.doc));
			if (prng.chance(0.2)) expectSame(receive(new Y.Doc(), server.ask(new Y.Doc())!), server.doc);
			for (const client of [...stayers, away]) {
				if (!prng.chance(client === away ? 0.02 : 0.3)) continue;
				const answer = server.ask(client);
				if (answer === null) {
					exact++;
					Y.applyUpdate(client, Y.encodeStateAsUpdate(server.doc, Y.encodeStateVector(client)));
				} else {
					shared++;
					receive(client, answer);
				}
				expectSame(client, server.doc);
			}
		}
		// About 80 newcomers and 240 requests in step: small edits rarely outweigh a quarter of it.
		expect(server.encodings()).toBeGreaterThan(0);
		expect(server.encodings()).toBeLessThan(40);
		expect(shared).toBeGreaterThan(100);
		expect(exact).toBeGreaterThan(0);
	});

	it('sends a client in step only the base’s deletions and what it lacks since', () => {
		const server = serverWithWholeState();
		const text = server.doc.getText('notes');
		text.insert(0, 'x'.repeat(2_000));
		text.delete(10, 500);
		const client = receive(new Y.Doc(), server.ask(new Y.Doc())!);
		text.insert(0, 'nouveau');
		const answer = server.ask(client)!;
		expect(answer).toHaveLength(2);
		// Far smaller than the whole document: no struct of the base is sent again.
		expect(answer[0]!.length + answer[1]!.length).toBeLessThan(100);
		expectSame(receive(client, answer), server.doc);
	});

	it('encodes afresh once the updates since weigh more than the given share of the base', () => {
		const server = serverWithWholeState(new WholeState({ ratio: 0.5, maxUpdates: 1_000 }));
		server.doc.getText('notes').insert(0, 'x'.repeat(1_000));
		const ask = () => server.ask(new Y.Doc())!;
		expect(ask()).toHaveLength(1);
		server.doc.getText('notes').insert(0, 'y'.repeat(100));
		expect(ask()).toHaveLength(2);
		expect(server.encodings()).toBe(1);
		server.doc.getText('notes').insert(0, 'z'.repeat(600));
		const messages = ask();
		expect(server.encodings()).toBe(2);
		expect(messages).toHaveLength(1);
		expectSame(receive(new Y.Doc(), messages), server.doc);
	});

	it('starts from a stored snapshot as it is, and from nothing after a reset', () => {
		const source = new Y.Doc();
		source.getMap('card').set('name', 'M. Martin');
		const whole = new WholeState();
		whole.reset({ update: Y.encodeStateAsUpdate(source), vector: Y.encodeStateVector(source) });
		const never = () => {
			throw new Error('the snapshot is the encoding');
		};
		const empty = new Uint8Array([0]);
		const first = whole.answer(empty, new Map(), never)!;
		expect(receive(new Y.Doc(), first).getMap('card').get('name')).toBe('M. Martin');
		whole.reset(null);
		const blank = new Y.Doc();
		const again = whole.answer(empty, new Map(), () => ({
			update: Y.encodeStateAsUpdate(blank),
			vector: Y.encodeStateVector(blank)
		}))!;
		expect(receive(new Y.Doc(), again).share.size).toBe(0);
	});
});
