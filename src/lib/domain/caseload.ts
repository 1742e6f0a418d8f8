/**
 * The caseload document's shapes and rules (schema version 1), pure so the browser, the server's
 * projections and the tests read cards the same way.
 *
 * Document `team/<teamId>/caseload`:
 *   meta     Y.Map    { schemaVersion: 1 }
 *   clients  Y.Map    clientId → Y.Map {
 *              name, address, sector: string; status: 'active' | 'paused' | 'discharged';
 *              statusSince: 'YYYY-MM-DD'; primaryCarerId: string | null; needs: string;
 *              visitPattern: VisitSlot[] (plain JSON); carePlan: Y.Text; createdAt: ISO string;
 *              transmissions: Y.Array<Transmission> (plain JSON entries, appended);
 *              contacts: Y.Map contactId → Contact (plain JSON); refusedCarerIds: string[];
 *              notes: Y.Text (free notes); firstVisit: Y.Map (src/lib/domain/first-visit.ts);
 *              omaha: Y.Map (src/lib/domain/omaha.ts);
 *              standards: string[] (care standards its care plan follows, plain JSON);
 *              access: Y.Map AccessField → string (how to get in: members only, never in feeds,
 *                read models or team exports) }
 *   absences Y.Map    absenceId → Absence (plain JSON, src/lib/domain/absences.ts)
 *   reads    Y.Map    `<clientId>:<transmissionId>:<userId>` → ISO time that person had the
 *                     transmission on screen (flat keys: two phones marking at once both keep theirs)
 *
 * Every field but `name` and `status` may be missing (older cards): it reads as empty.
 */
import { isId } from './ids';
import { parseFirstVisit, type FirstVisitCheck } from './first-visit';
import { parseOmaha, type OmahaProblem } from './omaha';

export const CASELOAD_SCHEMA_VERSION = 1;

export const CLIENT_STATUSES = ['active', 'paused', 'discharged'] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

export const QUALIFICATIONS = ['nurse', 'care_aide', 'any'] as const;
export type Qualification = (typeof QUALIFICATIONS)[number];

/** ISO weekday: 1 = Monday … 7 = Sunday (weeks start on Monday in France). */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface VisitSlot {
	weekday: Weekday;
	/** Minutes after midnight. */
	start: number;
	minutes: number;
	qualification: Qualification;
}

export const CONTACT_KINDS = ['family', 'gp', 'pharmacy', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export interface Contact {
	id: string;
	kind: ContactKind;
	name: string;
	phone: string;
	note: string;
}

export interface ClientCard {
	id: string;
	name: string;
	address: string;
	sector: string;
	status: ClientStatus;
	statusSince: string | null;
	primaryCarerId: string | null;
	needs: string;
	visitPattern: VisitSlot[];
	createdAt: string | null;
	/** Family, GP, pharmacy…, by kind then name. */
	contacts: Contact[];
	/** Members the client asked not to see again. */
	refusedCarerIds: string[];
	notes: string;
	firstVisit: FirstVisitCheck | null;
	omaha: OmahaProblem[];
	/** The team's care standards its care plan follows (ids of `care_standard`), plain JSON. */
	standards: string[];
	/** How to get in. Shown to members only: never in feeds, read models or team exports. */
	access: AccessNotes;
}

/** The parts of the access notes, in the order they are read at the door. */
export const ACCESS_FIELDS = ['keyBox', 'doorCode', 'floor', 'dog', 'other'] as const;
export type AccessField = (typeof ACCESS_FIELDS)[number];
export type AccessNotes = Record<AccessField, string>;
export const ACCESS_NOTE_MAX_LENGTH = 300;

const emptyAccess = (): AccessNotes => ({
	keyBox: '',
	doorCode: '',
	floor: '',
	dog: '',
	other: ''
});

/** Reads the access notes; anything but short strings is dropped and reported. */
export function parseAccessNotes(raw: unknown): { access: AccessNotes; ok: boolean } {
	const access = emptyAccess();
	if (raw === undefined || raw === null) return { access, ok: true };
	if (typeof raw !== 'object' || Array.isArray(raw)) return { access, ok: false };
	let ok = true;
	const v = raw as Record<string, unknown>;
	for (const field of ACCESS_FIELDS) {
		const value = v[field];
		if (value === undefined || value === null) continue;
		if (typeof value !== 'string') ok = false;
		else access[field] = value.slice(0, ACCESS_NOTE_MAX_LENGTH);
	}
	return { access, ok };
}

/** Whether anything is written on how to get in. */
export function hasAccessNotes(access: AccessNotes): boolean {
	return ACCESS_FIELDS.some((field) => access[field].trim() !== '');
}

/** What did not fit the expected shape: shown on the card, never fatal. */
export type CardProblem =
	| 'name-missing'
	| 'status-invalid'
	| 'pattern-invalid'
	| 'text-invalid'
	| 'carer-invalid'
	| 'contacts-invalid'
	| 'first-visit-invalid'
	| 'omaha-invalid'
	| 'access-invalid';

function parseContacts(raw: unknown): { contacts: Contact[]; ok: boolean } {
	if (raw === undefined || raw === null) return { contacts: [], ok: true };
	if (typeof raw !== 'object' || Array.isArray(raw)) return { contacts: [], ok: false };
	let ok = true;
	const contacts: Contact[] = [];
	for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
		const v =
			typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
		if (
			v === null ||
			typeof v.name !== 'string' ||
			!CONTACT_KINDS.includes(v.kind as ContactKind)
		) {
			ok = false;
			continue;
		}
		contacts.push({
			id,
			kind: v.kind as ContactKind,
			name: v.name,
			phone: typeof v.phone === 'string' ? v.phone : '',
			note: typeof v.note === 'string' ? v.note : ''
		});
	}
	contacts.sort(
		(a, b) =>
			CONTACT_KINDS.indexOf(a.kind) - CONTACT_KINDS.indexOf(b.kind) ||
			a.name.localeCompare(b.name, 'fr')
	);
	return { contacts, ok };
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function isSlot(value: unknown): value is VisitSlot {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return (
		Number.isInteger(v.weekday) &&
		(v.weekday as number) >= 1 &&
		(v.weekday as number) <= 7 &&
		Number.isInteger(v.start) &&
		(v.start as number) >= 0 &&
		(v.start as number) < 24 * 60 &&
		Number.isInteger(v.minutes) &&
		(v.minutes as number) > 0 &&
		(v.minutes as number) <= 12 * 60 &&
		QUALIFICATIONS.includes(v.qualification as Qualification)
	);
}

/**
 * Reads a card from the document's JSON. Whatever does not fit is replaced by a safe default and
 * named in `problems`, so one bad card never breaks the caseload.
 */
export function parseClientCard(
	id: string,
	raw: unknown
): { card: ClientCard; problems: CardProblem[] } {
	const problems: CardProblem[] = [];
	const v =
		typeof raw === 'object' && raw !== null && !Array.isArray(raw)
			? (raw as Record<string, unknown>)
			: {};
	const name = text(v.name)?.trim() ?? '';
	if (name === '') problems.push('name-missing');
	const status = CLIENT_STATUSES.includes(v.status as ClientStatus)
		? (v.status as ClientStatus)
		: null;
	if (status === null) problems.push('status-invalid');
	const pattern = Array.isArray(v.visitPattern)
		? v.visitPattern
		: v.visitPattern === undefined
			? []
			: null;
	const slots = (pattern ?? []).filter(isSlot);
	if (pattern === null || slots.length !== (pattern ?? []).length) problems.push('pattern-invalid');
	for (const key of ['address', 'sector', 'needs'] as const) {
		if (v[key] !== undefined && text(v[key]) === null) {
			problems.push('text-invalid');
			break;
		}
	}
	const carer = v.primaryCarerId ?? null;
	const refused = v.refusedCarerIds === undefined ? [] : v.refusedCarerIds;
	const refusedOk = Array.isArray(refused) && refused.every((r) => typeof r === 'string');
	if ((carer !== null && typeof carer !== 'string') || !refusedOk) problems.push('carer-invalid');
	const contacts = parseContacts(v.contacts);
	if (!contacts.ok) problems.push('contacts-invalid');
	const firstVisit = parseFirstVisit(v.firstVisit);
	if (!firstVisit.ok) problems.push('first-visit-invalid');
	const omaha = parseOmaha(v.omaha);
	if (!omaha.ok) problems.push('omaha-invalid');
	const access = parseAccessNotes(v.access);
	if (!access.ok) problems.push('access-invalid');
	if (v.notes !== undefined && text(v.notes) === null && !problems.includes('text-invalid'))
		problems.push('text-invalid');
	return {
		card: {
			id,
			name: name === '' ? '?' : name,
			address: text(v.address) ?? '',
			sector: text(v.sector)?.trim() ?? '',
			status: status ?? 'active',
			statusSince: text(v.statusSince),
			primaryCarerId: typeof carer === 'string' ? carer : null,
			needs: text(v.needs) ?? '',
			visitPattern: [...slots].sort((a, b) => a.weekday - b.weekday || a.start - b.start),
			createdAt: text(v.createdAt),
			contacts: contacts.contacts,
			refusedCarerIds: refusedOk ? [...new Set(refused as string[])] : [],
			notes: text(v.notes) ?? '',
			firstVisit: firstVisit.check,
			omaha: omaha.problems,
			standards: Array.isArray(v.standards)
				? [...new Set(v.standards.filter((x): x is string => typeof x === 'string' && isId(x)))]
				: [],
			access: access.access
		},
		problems
	};
}

/** Minutes of visits a week from a card's pattern. */
export function weeklyMinutes(pattern: readonly VisitSlot[]): number {
	return pattern.reduce((sum, slot) => sum + slot.minutes, 0);
}

export interface LoadLine {
	key: string;
	clients: number;
	weeklyMinutes: number;
}

/**
 * The team's load at a glance: active clients and weekly visit minutes per group (sector, or
 * primary carer). Paused and discharged clients do not count. Groups are sorted by name; the
 * empty key (no sector, no carer) comes last.
 */
export function loadBy(
	cards: readonly ClientCard[],
	key: (card: ClientCard) => string
): LoadLine[] {
	const lines = new Map<string, LoadLine>();
	for (const card of cards) {
		if (card.status !== 'active') continue;
		const k = key(card);
		const line = lines.get(k) ?? { key: k, clients: 0, weeklyMinutes: 0 };
		line.clients++;
		line.weeklyMinutes += weeklyMinutes(card.visitPattern);
		lines.set(k, line);
	}
	return [...lines.values()].sort((a, b) =>
		a.key === '' ? 1 : b.key === '' ? -1 : a.key.localeCompare(b.key, 'fr')
	);
}

/** Case- and accent-insensitive name search, as people type on a phone. */
export function matchesSearch(card: ClientCard, query: string): boolean {
	const fold = (s: string) =>
		s
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase();
	const q = fold(query.trim());
	return q === '' || fold(card.name).includes(q);
}

/** `HH:MM` → minutes after midnight, or null. */
export function parseClock(value: string): number | null {
	const match = /^(\d{1,2})[:h](\d{2})$/.exec(value.trim());
	if (match === null) return null;
	const h = Number(match[1]);
	const m = Number(match[2]);
	return h < 24 && m < 60 ? h * 60 + m : null;
}

/** Groups items by key, groups sorted by label, the empty key last. */
export function groupItems<T>(
	items: readonly T[],
	key: (item: T) => string,
	label: (key: string) => string
): [string, T[]][] {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		groups.set(k, [...(groups.get(k) ?? []), item]);
	}
	return [...groups.entries()].sort(([a], [b]) =>
		a === '' ? 1 : b === '' ? -1 : label(a).localeCompare(label(b), 'fr')
	);
}

/** A liaison-notebook entry: what a carer did and what the next one should watch. */
export interface Transmission {
	id: string;
	/** ISO time it was written. */
	at: string;
	authorId: string;
	authorName: string;
	text: string;
	/** To read before the next visit (older entries lack it: not urgent). */
	urgent: boolean;
}

export const TRANSMISSION_MAX_LENGTH = 2000;

/** The well-formed entries, latest first (what the next carer reads at the door). */
export function readTransmissions(raw: unknown): Transmission[] {
	if (!Array.isArray(raw)) return [];
	return raw
		.filter((t): t is Omit<Transmission, 'urgent'> & { urgent?: unknown } => {
			if (typeof t !== 'object' || t === null) return false;
			const v = t as Record<string, unknown>;
			return (
				typeof v.id === 'string' &&
				typeof v.at === 'string' &&
				!Number.isNaN(Date.parse(v.at)) &&
				typeof v.authorId === 'string' &&
				typeof v.authorName === 'string' &&
				typeof v.text === 'string'
			);
		})
		.map((t) => ({
			id: t.id,
			at: t.at,
			authorId: t.authorId,
			authorName: t.authorName,
			text: t.text,
			urgent: t.urgent === true
		}))
		.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

/** Client ids as the app makes them (UUIDs, demo ids): anything else is not a card. */
export function isClientId(value: string | undefined): value is string {
	return value !== undefined && /^[A-Za-z0-9-]{1,64}$/.test(value);
}
