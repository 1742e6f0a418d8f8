import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { shiftIndex } from '../../src/lib/collab/text-binding';

function deltaOf(initial: string, change: (text: Y.Text) => void): Y.YTextEvent['delta'] {
	const doc = new Y.Doc();
	const text = doc.getText('t');
	text.insert(0, initial);
	let delta: Y.YTextEvent['delta'] = [];
	text.observe((event) => (delta = event.delta));
	change(text);
	return delta;
}

describe('shiftIndex', () => {
	it('moves the caret along when someone types before it', () => {
		expect(
			shiftIndex(
				5,
				deltaOf('hello world', (t) => t.insert(0, 'oh '))
			)
		).toBe(8);
	});
	it('leaves the caret when someone types after it', () => {
		expect(
			shiftIndex(
				5,
				deltaOf('hello world', (t) => t.insert(8, 'XX'))
			)
		).toBe(5);
	});
	it('pulls the caret back when text before it is deleted', () => {
		expect(
			shiftIndex(
				8,
				deltaOf('hello world', (t) => t.delete(0, 6))
			)
		).toBe(2);
	});
	it('puts the caret at the cut when its surroundings are deleted', () => {
		expect(
			shiftIndex(
				5,
				deltaOf('hello world', (t) => t.delete(3, 5))
			)
		).toBe(3);
	});
});
