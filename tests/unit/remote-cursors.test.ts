import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { publishCursor, readCursor } from '../../src/lib/collab/remote-cursors';

function pair() {
	const a = new Y.Doc();
	const b = new Y.Doc();
	a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
	b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
	return { a, b, ta: a.getText('plan'), tb: b.getText('plan') };
}

describe('remote cursors', () => {
	it('keep a colleague’s caret on the same character while someone types before it', () => {
		const { ta, tb } = pair();
		ta.insert(0, 'Toilette le matin.');
		const published = publishCursor(tb, 'plan:c1', 9, 11); // "le" selected at Bob's
		expect(readCursor(ta, 'plan:c1', published)).toEqual({ anchor: 9, head: 11 });
		ta.insert(0, 'Diabète. ');
		expect(readCursor(ta, 'plan:c1', published)).toEqual({ anchor: 18, head: 20 });
	});

	it('follow the text when the characters around them are deleted, and clamp out-of-range positions', () => {
		const { ta, tb } = pair();
		ta.insert(0, 'abcdef');
		const published = publishCursor(tb, 'plan:c1', 4, 4);
		ta.delete(1, 4); // "af"
		expect(readCursor(ta, 'plan:c1', published)).toEqual({ anchor: 1, head: 1 });
		expect(readCursor(ta, 'plan:c1', publishCursor(ta, 'plan:c1', 99, -5))).toEqual({
			anchor: 2,
			head: 0
		});
	});

	it('ignore carets in another text and malformed ones', () => {
		const { ta, tb } = pair();
		ta.insert(0, 'abc');
		expect(readCursor(ta, 'plan:c2', publishCursor(tb, 'plan:c1', 1, 1))).toBeNull();
		expect(readCursor(ta, 'plan:c1', { field: 'plan:c1', anchor: 'nonsense', head: 3 })).toBeNull();
		expect(readCursor(ta, 'plan:c1', null)).toBeNull();
		const other = tb.doc!.getText('notes');
		other.insert(0, 'x');
		expect(readCursor(ta, 'plan:c1', { ...publishCursor(other, 'plan:c1', 0, 0) })).toBeNull();
	});
});
