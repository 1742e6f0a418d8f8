import type * as Y from 'yjs';
import type { AgendaKind, MeetingStep } from '$lib/domain/meeting';

/**
 * The meeting's live document, as the browser edits it (schema version 1):
 * - `state` (map): `step`, the step the team is on, moved by whoever runs the screen;
 * - `agenda` (map of id → item): what members bring, all week and at the start (see parseAgendaItem);
 * - `checkIn`, `checkOut` (maps of member id → their line): being checked in is being present;
 * - `notes` (text): the note taker's live notes.
 */
function ensureMeta(doc: Y.Doc): void {
	const meta = doc.getMap('meta');
	if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', 1);
}

export function setStep(doc: Y.Doc, step: MeetingStep): void {
	doc.transact(() => {
		ensureMeta(doc);
		doc.getMap('state').set('step', step);
	});
}

export function addAgendaItem(
	doc: Y.Doc,
	item: { title: string; purpose: string; kind: AgendaKind; by: string }
): string {
	const id = crypto.randomUUID();
	doc.transact(() => {
		ensureMeta(doc);
		doc.getMap('agenda').set(id, {
			...item,
			at: new Date().toISOString(),
			done: false,
			decisionId: null
		});
	});
	return id;
}

export function setAgendaDone(doc: Y.Doc, id: string, done: boolean): void {
	const agenda = doc.getMap('agenda');
	const item = agenda.get(id);
	if (typeof item === 'object' && item !== null) agenda.set(id, { ...(item as object), done });
}

export function removeAgendaItem(doc: Y.Doc, id: string): void {
	doc.getMap('agenda').delete(id);
}

export function setRoundLine(
	doc: Y.Doc,
	round: 'checkIn' | 'checkOut',
	memberId: string,
	line: string
): void {
	doc.transact(() => {
		ensureMeta(doc);
		doc.getMap(round).set(memberId, line.slice(0, 500));
	});
}
