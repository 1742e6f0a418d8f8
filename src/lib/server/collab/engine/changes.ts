import * as Y from 'yjs';
import { indexableKey } from '$lib/server/db/storable';

/**
 * What a transaction touched, as paths from the document's root: the entry (first two steps, such
 * as `clients/<id>`) and the field below it (`name`, `carePlan`, `firstVisit/falls`; empty for the
 * entry itself). Values are never read, so the index holds no content.
 */
export interface TouchedPath {
	entry: string;
	field: string;
}

/** A transaction touching more than this many paths is recorded by entry only. */
const MAX_PATHS = 200;

/** Longest field path (several keys joined) kept as it is. */
const MAX_FIELD = 1_000;

type AnyType = Parameters<Y.Transaction['changed']['get']>[0];

function pathOf(type: AnyType, roots: Map<AnyType, string>): string[] | null {
	const steps: string[] = [];
	let current: AnyType = type;
	for (let depth = 0; depth < 32; depth++) {
		const item = current._item;
		if (item === null) {
			const root = roots.get(current);
			return root === undefined ? null : [root, ...steps];
		}
		if (item.parentSub !== null) steps.unshift(item.parentSub);
		if (!(item.parent instanceof Y.AbstractType)) return null;
		current = item.parent;
	}
	return null;
}

export function touchedPaths(doc: Y.Doc, transaction: Y.Transaction): TouchedPath[] {
	const roots = new Map<AnyType, string>();
	for (const [name, type] of doc.share) roots.set(type, name);
	const seen = new Map<string, TouchedPath>();
	for (const [type, keys] of transaction.changed) {
		const base = pathOf(type, roots);
		if (base === null) continue;
		for (const key of keys) {
			const steps = (key === null ? base : [...base, key]).map((step) => indexableKey(step));
			const field = steps.slice(2).join('/');
			const touched = {
				entry: steps.slice(0, 2).join('/'),
				field: field.length <= MAX_FIELD ? field : indexableKey(field, MAX_FIELD)
			};
			seen.set(`${touched.entry}\u0000${touched.field}`, touched);
		}
	}
	const all = [...seen.values()];
	if (all.length <= MAX_PATHS) return all;
	const entries = new Map(all.map((t) => [t.entry, { entry: t.entry, field: '' }]));
	return [...entries.values()].slice(0, MAX_PATHS);
}
