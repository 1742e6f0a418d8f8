import * as Y from 'yjs';

/**
 * Limits on what a document may hold (a kaizen card's size, the number of cards…), checked by the
 * server, not only by the page: an update is first applied to a copy of the document, and refused
 * (its connection closed with 1008, nothing applied, stored or relayed) when the copy breaks the
 * check its connection carries (Capability.contentCheck, set at upgrade for such documents).
 * It costs a copy of the document per update, so only small, bounded documents carry a check.
 */
export function contentProblem(
	doc: Y.Doc,
	updates: readonly { update: Uint8Array }[],
	check: ((doc: Y.Doc) => string | null) | undefined
): string | null {
	if (check === undefined || updates.length === 0) return null;
	const copy = new Y.Doc({ gc: true });
	try {
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
		for (const { update } of updates) Y.applyUpdate(copy, update);
		return check(copy);
	} catch {
		return 'unreadable';
	} finally {
		copy.destroy();
	}
}
