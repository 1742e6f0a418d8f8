import * as Y from 'yjs';

/**
 * Carets in a shared text, published through awareness as Yjs relative positions, so a caret
 * stays on the same character while others type before it.
 */
export interface PublishedCursor {
	/** Which text: e.g. `plan:<clientId>`. */
	field: string;
	anchor: unknown;
	head: unknown;
}

export function publishCursor(
	text: Y.Text,
	field: string,
	anchor: number,
	head: number
): PublishedCursor {
	const clamp = (i: number) => Math.max(0, Math.min(i, text.length));
	return {
		field,
		anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, clamp(anchor))),
		head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, clamp(head)))
	};
}

/** Where a published caret is now in `text`, or null when it is elsewhere or unreadable. */
export function readCursor(
	text: Y.Text,
	field: string,
	published: unknown
): { anchor: number; head: number } | null {
	if (typeof published !== 'object' || published === null) return null;
	const c = published as Partial<PublishedCursor>;
	if (c.field !== field || text.doc === null) return null;
	const absolute = (json: unknown) => {
		try {
			const position = Y.createAbsolutePositionFromRelativePosition(
				Y.createRelativePositionFromJSON(json),
				text.doc!
			);
			return position !== null && position.type === text ? position.index : null;
		} catch {
			return null; // a malformed position from another client is simply not shown
		}
	};
	const anchor = absolute(c.anchor);
	const head = absolute(c.head);
	return anchor === null || head === null ? null : { anchor, head };
}

/** Who has selected which item (`item:<id>` in their presence), for drawing it on the grid. */
export function selectionsByItem(
	peers: readonly { selection: string | null; name: string; colour: string }[]
): Map<string, { name: string; colour: string }[]> {
	const map = new Map<string, { name: string; colour: string }[]>();
	for (const peer of peers) {
		if (!peer.selection?.startsWith('item:')) continue;
		const id = peer.selection.slice(5);
		map.set(id, [...(map.get(id) ?? []), { name: peer.name, colour: peer.colour }]);
	}
	return map;
}
