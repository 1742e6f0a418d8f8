import * as Y from 'yjs';
import {
	boardProblem,
	emptyCard,
	KAIZEN_SCHEMA_VERSION,
	parseCard,
	type EditableField,
	type KaizenCard,
	type KaizenCardFields,
	type CardState
} from '$lib/domain/kaizen';

/** Reading and writing the kaizen board (schema in src/lib/domain/kaizen.ts), browser and server. */
export function cardsOf(doc: Y.Doc): Y.Map<Y.Map<string>> {
	return doc.getMap<Y.Map<string>>('cards');
}

/** Every card that fits its shape, latest first. */
export function readCards(doc: Y.Doc): KaizenCard[] {
	const out: KaizenCard[] = [];
	for (const [id, value] of cardsOf(doc).entries()) {
		const card = parseCard(id, value instanceof Y.Map ? value.toJSON() : value);
		if (card !== null) out.push(card);
	}
	return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

export function addCard(
	doc: Y.Doc,
	id: string,
	fields: Partial<KaizenCardFields>,
	now = new Date()
) {
	doc.transact(() => {
		const meta = doc.getMap('meta');
		if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', KAIZEN_SCHEMA_VERSION);
		const card = new Y.Map<string>();
		for (const [key, value] of Object.entries({ ...emptyCard(now.toISOString()), ...fields }))
			card.set(key, value);
		cardsOf(doc).set(id, card);
	});
}

export function setField(doc: Y.Doc, id: string, field: EditableField, value: string): void {
	cardsOf(doc).get(id)?.set(field, value);
}

export function setState(doc: Y.Doc, id: string, state: CardState): void {
	cardsOf(doc).get(id)?.set('state', state);
}

/**
 * The server's check of a whole board (Capability.contentCheck): what is wrong, or null. Only
 * `meta` and `cards` may exist, and every card fits its schema and limits.
 */
export function kaizenContentCheck(doc: Y.Doc): string | null {
	const json: Record<string, unknown> = {};
	for (const key of doc.share.keys()) {
		if (key !== 'meta' && key !== 'cards') return `unknown key ${key.slice(0, 40)}`;
		json[key] = doc.getMap(key).toJSON();
	}
	const problem = boardProblem(json);
	if (problem === null) return null;
	switch (problem.kind) {
		case 'too-many-cards':
			return `more than ${problem.max} cards`;
		case 'unknown-key':
			return `unknown key ${problem.key}`;
		case 'bad-card':
			return `card ${problem.cardId}: ${problem.field} ${problem.code}`;
	}
}
