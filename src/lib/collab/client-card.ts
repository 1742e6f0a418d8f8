import * as Y from 'yjs';
import { ACCESS_NOTE_MAX_LENGTH, type AccessField, type Contact } from '$lib/domain/caseload';
import type { RiskFinding, RiskItem } from '$lib/domain/first-visit';
import type { OmahaRating } from '$lib/domain/omaha';
import { clientsOf } from './caseload';

/**
 * Writers for the parts of a client card beyond identity (schema in src/lib/domain/caseload.ts):
 * contacts, refused carers, free notes, the first-visit check and Omaha problems. Each change is
 * one transaction; values that two people may change at once live under their own key.
 */
function cardOf(doc: Y.Doc, clientId: string): Y.Map<unknown> | null {
	const card = clientsOf(doc).get(clientId);
	return card instanceof Y.Map ? card : null;
}

/** A nested map of the card, made on first use. */
function childMap(card: Y.Map<unknown>, key: string): Y.Map<unknown> {
	const existing = card.get(key);
	if (existing instanceof Y.Map) return existing;
	const made = new Y.Map<unknown>();
	card.set(key, made);
	return made;
}

export function putContact(doc: Y.Doc, clientId: string, contact: Contact): void {
	const card = cardOf(doc, clientId);
	if (card === null) return;
	const { id, ...value } = contact;
	doc.transact(() => childMap(card, 'contacts').set(id, value));
}

export function removeContact(doc: Y.Doc, clientId: string, contactId: string): void {
	const card = cardOf(doc, clientId);
	const contacts = card?.get('contacts');
	if (contacts instanceof Y.Map) doc.transact(() => contacts.delete(contactId));
}

export function setRefusedCarers(doc: Y.Doc, clientId: string, memberIds: string[]): void {
	cardOf(doc, clientId)?.set('refusedCarerIds', [...new Set(memberIds)]);
}

/** The card's free notes as collaborative text, or null on an older card that has none yet. */
export function notesOf(doc: Y.Doc, clientId: string): Y.Text | null {
	const notes = cardOf(doc, clientId)?.get('notes');
	return notes instanceof Y.Text ? notes : null;
}

/**
 * Gives an older card its notes text. Call it only once the document is in step with the server:
 * two people making it at once would each make their own, and one would be lost.
 */
export function ensureNotes(doc: Y.Doc, clientId: string): void {
	const card = cardOf(doc, clientId);
	if (card === null || card.get('notes') instanceof Y.Text) return;
	const old = card.get('notes');
	card.set('notes', new Y.Text(typeof old === 'string' ? old : ''));
}

const NESTED_PARTS = ['contacts', 'firstVisit', 'omaha', 'access'] as const;

/** Whether a card made before these parts existed still lacks its notes text or a nested map. */
export function lacksParts(doc: Y.Doc, clientId: string): boolean {
	const card = cardOf(doc, clientId);
	if (card === null) return false;
	return !(card.get('notes') instanceof Y.Text) || NESTED_PARTS.some((key) => !card.has(key));
}

/**
 * Gives an older card its notes text and its nested maps, in one transaction, so later edits from
 * two people land in the same map. Same caution as `ensureNotes`: only once in step with the
 * server. A part holding something unexpected is left alone (the card shows it as a problem).
 */
export function ensureCardParts(doc: Y.Doc, clientId: string): void {
	const card = cardOf(doc, clientId);
	if (card === null) return;
	doc.transact(() => {
		ensureNotes(doc, clientId);
		for (const key of NESTED_PARTS) if (!card.has(key)) card.set(key, new Y.Map<unknown>());
	});
}

/** Starts the first-visit check on a card that has none; a card that has one keeps it. */
export function startFirstVisit(doc: Y.Doc, clientId: string): void {
	const card = cardOf(doc, clientId);
	if (card !== null) doc.transact(() => childMap(card, 'firstVisit'));
}

export type FirstVisitField = 'date' | 'introducedBy' | 'newCarerId' | 'nurseOnly' | 'twoCarers';

/** Sets one field of the first-visit check (starting the check if the card has none). */
export function setFirstVisitField(
	doc: Y.Doc,
	clientId: string,
	field: FirstVisitField,
	value: string | boolean | null
): void {
	const card = cardOf(doc, clientId);
	if (card !== null) doc.transact(() => childMap(card, 'firstVisit').set(field, value));
}

/** Sets one finding of the first-visit check; two people filling in different items both keep theirs. */
export function setFinding(
	doc: Y.Doc,
	clientId: string,
	item: RiskItem,
	finding: RiskFinding
): void {
	const card = cardOf(doc, clientId);
	if (card !== null)
		doc.transact(() =>
			childMap(card, 'firstVisit').set(item, { level: finding.level, note: finding.note })
		);
}

export function addOmahaProblem(doc: Y.Doc, clientId: string, code: string, today: string): void {
	const card = cardOf(doc, clientId);
	if (card === null) return;
	doc.transact(() => {
		const omaha = childMap(card, 'omaha');
		if (!omaha.has(code)) omaha.set(code, { code, addedAt: today, ratings: [] });
	});
}

/** Adds a rating (intake or review) to a problem; a second rating on the same day replaces the first. */
export function rateOmahaProblem(
	doc: Y.Doc,
	clientId: string,
	code: string,
	rating: OmahaRating
): void {
	const card = cardOf(doc, clientId);
	const omaha = card?.get('omaha');
	if (!(omaha instanceof Y.Map)) return;
	const current = omaha.get(code) as
		{ code: string; addedAt: string; ratings?: OmahaRating[] } | undefined;
	if (current === undefined) return;
	const ratings = [...(current.ratings ?? []).filter((r) => r.date !== rating.date), rating].sort(
		(a, b) => a.date.localeCompare(b.date)
	);
	omaha.set(code, { ...current, ratings });
}

export function removeOmahaProblem(doc: Y.Doc, clientId: string, code: string): void {
	const omaha = cardOf(doc, clientId)?.get('omaha');
	if (omaha instanceof Y.Map) omaha.delete(code);
}

/** Sets one part of the access notes (two people editing different parts both keep theirs). */
export function setAccessNote(
	doc: Y.Doc,
	clientId: string,
	field: AccessField,
	value: string
): void {
	const card = cardOf(doc, clientId);
	if (card !== null)
		doc.transact(() =>
			childMap(card, 'access').set(field, value.trim().slice(0, ACCESS_NOTE_MAX_LENGTH))
		);
}
