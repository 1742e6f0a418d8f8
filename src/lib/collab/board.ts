import * as Y from 'yjs';
import { BOARD_SCHEMA_VERSION, type BoardNote } from '$lib/domain/board';

/** Reading and writing the team board (schema in src/lib/domain/board.ts), browser and server. */
export function notesOf(doc: Y.Doc): Y.Map<Y.Map<string>> {
	return doc.getMap<Y.Map<string>>('notes');
}

export function stampSchema(doc: Y.Doc): void {
	const meta = doc.getMap('meta');
	if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', BOARD_SCHEMA_VERSION);
}

/** Every note, latest first. */
export function readNotes(doc: Y.Doc): BoardNote[] {
	return [...notesOf(doc).entries()]
		.filter(([, note]) => note instanceof Y.Map)
		.map(([id, note]) => ({
			id,
			text: String(note.get('text') ?? ''),
			author: String(note.get('author') ?? ''),
			at: String(note.get('at') ?? '')
		}))
		.sort((a, b) => b.at.localeCompare(a.at));
}

export function addNote(doc: Y.Doc, id: string, note: Omit<BoardNote, 'id'>): void {
	doc.transact(() => {
		stampSchema(doc);
		const map = new Y.Map<string>();
		map.set('text', note.text);
		map.set('author', note.author);
		map.set('at', note.at);
		notesOf(doc).set(id, map);
	});
}
