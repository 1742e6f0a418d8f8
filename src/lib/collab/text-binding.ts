import * as Y from 'yjs';

/** Where an index ends up after a change described by a Yjs text delta. */
export function shiftIndex(index: number, delta: Y.YTextEvent['delta']): number {
	let position = 0;
	let result = index;
	for (const op of delta) {
		if (op.retain !== undefined) position += op.retain;
		else if (typeof op.insert === 'string') {
			// Text inserted before the caret (or at it, by someone else) pushes the caret along.
			if (position <= index) result += op.insert.length;
		} else if (op.delete !== undefined) {
			if (position < index) result -= Math.min(op.delete, index - position);
			index -= Math.min(op.delete, Math.max(0, index - position));
		}
	}
	return Math.max(0, result);
}

/**
 * Binds a textarea to a Y.Text character by character: typing becomes minimal inserts and
 * deletes, remote changes come in without moving the caret.
 */
export function bindTextarea(area: HTMLTextAreaElement, text: Y.Text): () => void {
	let known = text.toString();
	area.value = known;

	const onInput = () => {
		const next = area.value;
		let start = 0;
		while (start < known.length && start < next.length && known[start] === next[start]) start++;
		let end = 0;
		while (
			end < known.length - start &&
			end < next.length - start &&
			known[known.length - 1 - end] === next[next.length - 1 - end]
		)
			end++;
		text.doc?.transact(() => {
			const removed = known.length - start - end;
			if (removed > 0) text.delete(start, removed);
			const inserted = next.slice(start, next.length - end);
			if (inserted.length > 0) text.insert(start, inserted);
		}, area);
		known = next;
	};

	const onChange = (event: Y.YTextEvent, transaction: Y.Transaction) => {
		if (transaction.origin === area) return;
		const focused = document.activeElement === area;
		const selectionStart = area.selectionStart;
		const selectionEnd = area.selectionEnd;
		known = text.toString();
		area.value = known;
		if (focused)
			area.setSelectionRange(
				shiftIndex(selectionStart, event.delta),
				shiftIndex(selectionEnd, event.delta)
			);
	};

	area.addEventListener('input', onInput);
	text.observe(onChange);
	return () => {
		area.removeEventListener('input', onInput);
		text.unobserve(onChange);
	};
}
