import * as Y from 'yjs';
import {
	CASELOAD_SCHEMA_VERSION,
	parseClientCard,
	readTransmissions,
	TRANSMISSION_MAX_LENGTH,
	type Transmission,
	type CardProblem,
	type AccessNotes,
	type ClientCard,
	type Contact,
	type ClientStatus,
	type VisitSlot
} from '$lib/domain/caseload';
import { parseReads, readKey, type ReadReceipt } from '$lib/domain/day';
import type { OmahaProblem } from '$lib/domain/omaha';

/**
 * Reading and writing the caseload document (schema in src/lib/domain/caseload.ts), shared by the
 * browser and the server (demo seed, projections).
 */
export type ClientMap = Y.Map<unknown>;

export function clientsOf(doc: Y.Doc): Y.Map<ClientMap> {
	return doc.getMap<ClientMap>('clients');
}

export function stampSchema(doc: Y.Doc): void {
	const meta = doc.getMap('meta');
	if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', CASELOAD_SCHEMA_VERSION);
}

export interface NewClient {
	name: string;
	address: string;
	sector: string;
	status?: ClientStatus;
	statusSince?: string;
	primaryCarerId?: string | null;
	needs?: string;
	visitPattern?: VisitSlot[];
	carePlan?: string;
	contacts?: Omit<Contact, 'id'>[];
	refusedCarerIds?: string[];
	/** The first-visit check as plain values (see src/lib/domain/first-visit.ts). */
	firstVisit?: Record<string, unknown>;
	omaha?: OmahaProblem[];
	access?: Partial<AccessNotes>;
}

export function addClient(doc: Y.Doc, id: string, client: NewClient, now = new Date()): void {
	doc.transact(() => {
		stampSchema(doc);
		const card = new Y.Map<unknown>();
		card.set('name', client.name);
		card.set('address', client.address);
		card.set('sector', client.sector);
		card.set('status', client.status ?? 'active');
		card.set('statusSince', client.statusSince ?? now.toISOString().slice(0, 10));
		card.set('primaryCarerId', client.primaryCarerId ?? null);
		card.set('needs', client.needs ?? '');
		card.set('visitPattern', client.visitPattern ?? []);
		card.set('carePlan', new Y.Text(client.carePlan ?? ''));
		card.set('notes', new Y.Text(''));
		// The nested maps exist from the start, so two people filling them in at once merge
		// instead of each making their own map (one of which would be lost).
		const contacts = new Y.Map<unknown>();
		(client.contacts ?? []).forEach((contact, i) =>
			contacts.set(`${id}-contact-${i + 1}`, contact)
		);
		card.set('contacts', contacts);
		card.set('refusedCarerIds', client.refusedCarerIds ?? []);
		const check = new Y.Map<unknown>();
		for (const [key, value] of Object.entries(client.firstVisit ?? {})) check.set(key, value);
		card.set('firstVisit', check);
		const omaha = new Y.Map<unknown>();
		for (const problem of client.omaha ?? []) omaha.set(problem.code, problem);
		card.set('omaha', omaha);
		const access = new Y.Map<unknown>();
		for (const [key, value] of Object.entries(client.access ?? {})) access.set(key, value);
		card.set('access', access);
		card.set('createdAt', now.toISOString());
		clientsOf(doc).set(id, card);
	});
}

/** Every card, parsed; cards that do not fit their shape carry their problems. */
export function readCards(doc: Y.Doc): { card: ClientCard; problems: CardProblem[] }[] {
	const out: { card: ClientCard; problems: CardProblem[] }[] = [];
	for (const [id, value] of clientsOf(doc).entries()) {
		const raw = value instanceof Y.Map ? value.toJSON() : value;
		out.push(parseClientCard(id, raw));
	}
	return out.sort((a, b) => a.card.name.localeCompare(b.card.name, 'fr'));
}

/** The card's collaborative care plan, or null when the card has none of the expected shape. */
export function carePlanOf(doc: Y.Doc, id: string): Y.Text | null {
	const card = clientsOf(doc).get(id);
	const plan = card instanceof Y.Map ? card.get('carePlan') : null;
	return plan instanceof Y.Text ? plan : null;
}

/** The card's liaison notebook, latest first. */
export function transmissionsOf(doc: Y.Doc, id: string): Transmission[] {
	const card = clientsOf(doc).get(id);
	const list = card instanceof Y.Map ? card.get('transmissions') : null;
	return readTransmissions(list instanceof Y.Array ? list.toJSON() : []);
}

/** Appends an entry to the card's notebook (concurrent entries from two phones both stay). */
export function addTransmission(
	doc: Y.Doc,
	id: string,
	entry: { authorId: string; authorName: string; text: string; urgent?: boolean },
	now = new Date()
): void {
	const card = clientsOf(doc).get(id);
	const text = entry.text.trim().slice(0, TRANSMISSION_MAX_LENGTH);
	if (!(card instanceof Y.Map) || text === '') return;
	doc.transact(() => {
		let list = card.get('transmissions');
		if (!(list instanceof Y.Array)) {
			list = new Y.Array<Transmission>();
			card.set('transmissions', list);
		}
		(list as Y.Array<Transmission>).push([
			{
				id: crypto.randomUUID(),
				at: now.toISOString(),
				authorId: entry.authorId,
				authorName: entry.authorName,
				text,
				urgent: entry.urgent === true
			}
		]);
	});
}

/** Read receipts: `<clientId>:<transmissionId>:<userId>` → ISO time (see src/lib/domain/day.ts). */
function readsOf(doc: Y.Doc): Y.Map<string> {
	return doc.getMap<string>('reads');
}

/** Every read receipt, parsed. */
export function readReceipts(doc: Y.Doc): ReadReceipt[] {
	return parseReads(readsOf(doc).toJSON());
}

/**
 * Records that the person has had these transmissions on screen (once each: a later look keeps the
 * first time). Keys are flat in one root map, so receipts written at once on two phones both stay.
 */
export function markRead(
	doc: Y.Doc,
	clientId: string,
	transmissionIds: readonly string[],
	userId: string,
	now = new Date()
): void {
	const reads = readsOf(doc);
	const fresh = transmissionIds.filter((id) => !reads.has(readKey(clientId, id, userId)));
	if (fresh.length === 0) return;
	doc.transact(() => {
		for (const id of fresh) reads.set(readKey(clientId, id, userId), now.toISOString());
	});
}

/** Drops a client's read receipts (with its card, at erasure). */
export function dropReads(doc: Y.Doc, clientId: string): void {
	const reads = readsOf(doc);
	for (const key of [...reads.keys()]) if (key.startsWith(`${clientId}:`)) reads.delete(key);
}
