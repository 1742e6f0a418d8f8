/**
 * "Ma journée": a member's own round for one day, and the handover rules that go with it (what is
 * new since their last visit, who has not read an urgent note, which urgent notes come first).
 * Pure, so the page, the card and the tests read the day the same way.
 */
import type { ClientCard, Transmission } from './caseload';
import { firstVisitStatus } from './first-visit';
import type { Visit } from './rota';
import { wallClockToInstant } from './time-zone';

/** What matters at the door, in the order it is shown. */
const DOOR_FLAGS = [
	'refused-me',
	'first-visit',
	'nurse-only',
	'two-carers',
	'refused-others'
] as const;
export type DoorFlag = (typeof DOOR_FLAGS)[number];

export interface DayVisit {
	visit: Visit;
	/** Null when the card is not (or not yet) in the caseload. */
	card: ClientCard | null;
	flags: DoorFlag[];
	/** Colleagues on a visit to the same client at an overlapping time (two carers). */
	partnerIds: string[];
}

const overlaps = (a: Visit, b: Visit) =>
	a.date === b.date && a.start < b.start + b.minutes && b.start < a.start + a.minutes;

/** The flags of one visit, from the card's rules (first-visit check, refused carers) and the visit. */
export function doorFlags(visit: Visit, card: ClientCard | null, me: string): DoorFlag[] {
	const flags = new Set<DoorFlag>();
	if (visit.qualification === 'nurse') flags.add('nurse-only');
	if (card !== null) {
		if (card.refusedCarerIds.includes(me)) flags.add('refused-me');
		else if (card.refusedCarerIds.length > 0) flags.add('refused-others');
		if (card.status === 'active' && firstVisitStatus(card.firstVisit) !== 'complete')
			flags.add('first-visit');
		if (card.firstVisit?.nurseOnly) flags.add('nurse-only');
		if (card.firstVisit?.twoCarers) flags.add('two-carers');
	}
	return DOOR_FLAGS.filter((flag) => flags.has(flag));
}

/**
 * The member's visits on `date`, in the order of the round: by start, then client name, then id
 * (so two screens always agree). `visits` may hold several weeks and everyone's visits.
 */
export function myDay(input: {
	me: string;
	date: string;
	visits: readonly Visit[];
	cards: ReadonlyMap<string, ClientCard>;
}): DayVisit[] {
	const { me, date, visits, cards } = input;
	const seen = new Set<string>();
	const mine = visits.filter((v) => {
		if (v.carerId !== me || v.date !== date || seen.has(v.id)) return false;
		seen.add(v.id);
		return true;
	});
	const nameOf = (v: Visit) => cards.get(v.clientId)?.name ?? '';
	mine.sort(
		(a, b) =>
			a.start - b.start || nameOf(a).localeCompare(nameOf(b), 'fr') || a.id.localeCompare(b.id)
	);
	return mine.map((visit) => {
		const card = cards.get(visit.clientId) ?? null;
		const partnerIds = [
			...new Set(
				visits
					.filter(
						(o) =>
							o.id !== visit.id &&
							o.clientId === visit.clientId &&
							o.carerId !== null &&
							o.carerId !== me &&
							overlaps(o, visit)
					)
					.map((o) => o.carerId!)
			)
		];
		return { visit, card, flags: doorFlags(visit, card, me), partnerIds };
	});
}

const endOf = (v: Visit) => wallClockToInstant(v.date, v.start + v.minutes).getTime();

/** When each of the member's visits to a client last ended, up to `now` (ms since the epoch). */
export function lastVisitEnds(
	visits: readonly Visit[],
	me: string,
	now: Date
): Map<string, number> {
	const last = new Map<string, number>();
	for (const v of visits) {
		if (v.carerId !== me) continue;
		const end = endOf(v);
		if (end > now.getTime()) continue;
		if (end > (last.get(v.clientId) ?? -Infinity)) last.set(v.clientId, end);
	}
	return last;
}

/** The later of two optional instants (the latest of two sources of "last visit"). */
export function later(a: number | null | undefined, b: number | null | undefined): number | null {
	if (a === null || a === undefined) return b ?? null;
	if (b === null || b === undefined) return a;
	return Math.max(a, b);
}

/** A read receipt's key in the caseload document's `reads` map. */
export function readKey(clientId: string, transmissionId: string, userId: string): string {
	return `${clientId}:${transmissionId}:${userId}`;
}

export interface ReadReceipt {
	clientId: string;
	transmissionId: string;
	userId: string;
	/** ms since the epoch */
	at: number;
}

/** The well-formed receipts of the `reads` map; anything else is ignored. */
export function parseReads(raw: Record<string, unknown>): ReadReceipt[] {
	const out: ReadReceipt[] = [];
	for (const [key, value] of Object.entries(raw)) {
		const parts = key.split(':');
		if (parts.length !== 3 || parts.some((p) => p === '') || typeof value !== 'string') continue;
		const at = Date.parse(value);
		if (Number.isNaN(at)) continue;
		out.push({ clientId: parts[0]!, transmissionId: parts[1]!, userId: parts[2]!, at });
	}
	return out;
}

/** Who has read what, per transmission id. */
export function readersByTransmission(receipts: readonly ReadReceipt[]): Map<string, Set<string>> {
	const out = new Map<string, Set<string>>();
	for (const r of receipts) {
		const set = out.get(r.transmissionId) ?? new Set<string>();
		set.add(r.userId);
		out.set(r.transmissionId, set);
	}
	return out;
}

/**
 * The receipts a page counts for "new": those that were there when it first had its data. What the
 * member reads while the page is open, on this screen or on another of theirs, stays new until
 * they come back: a note shown twice never keeps its mark on one copy only, and no mark vanishes
 * under their eyes. Call the returned function only once the data is loaded.
 */
export function readsAtOpening(): (receipts: readonly ReadReceipt[]) => ReadReceipt[] {
	let opening: Set<string> | null = null;
	const key = (r: ReadReceipt) => readKey(r.clientId, r.transmissionId, r.userId);
	return (receipts) => {
		const kept = (opening ??= new Set(receipts.map(key)));
		return receipts.filter((r) => kept.has(key(r)));
	};
}

/** When the member last read a transmission about each client. */
export function lastReads(receipts: readonly ReadReceipt[], me: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const r of receipts) {
		if (r.userId !== me) continue;
		if (r.at > (out.get(r.clientId) ?? -Infinity)) out.set(r.clientId, r.at);
	}
	return out;
}

/**
 * "New since your last visit": what colleagues wrote after the later of the member's last visit to
 * the client and the last time they read a transmission about that client. A member who has
 * neither visited nor read anything there sees everything as new. Their own notes are never new.
 */
export function isNewSince(
	t: Pick<Transmission, 'at' | 'authorId'>,
	me: string,
	since: number | null
): boolean {
	return t.authorId !== me && (since === null || Date.parse(t.at) > since);
}

/** Members who have not yet read a note: everyone in the team but its author and its readers. */
export function notYetReadBy(
	t: Pick<Transmission, 'id' | 'authorId'>,
	memberIds: readonly string[],
	readers: ReadonlyMap<string, ReadonlySet<string>>
): string[] {
	const read = readers.get(t.id);
	return memberIds.filter((id) => id !== t.authorId && !(read?.has(id) ?? false));
}

/**
 * What the day shows under a visit: urgent notes that are new first, then the latest ones; at most
 * `limit` (each group latest first).
 */
export function doorTransmissions(
	entries: readonly Transmission[],
	me: string,
	since: number | null,
	limit = 3
): Transmission[] {
	const latestFirst = [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
	const first = latestFirst.filter((t) => t.urgent && isNewSince(t, me, since));
	const rest = latestFirst.filter((t) => !first.includes(t));
	return [...first, ...rest].slice(0, limit);
}

/** How far ahead urgent notes about the member's clients come to the top of their day. */
const URGENT_AHEAD_HOURS = 48;
/** Without a past visit, urgent notes this recent still count as new. */
const URGENT_LOOKBACK_DAYS = 7;

export interface UrgentNote {
	clientId: string;
	transmission: Transmission;
	/** The member's next visit to that client (ms since the epoch). */
	nextVisitAt: number;
}

/**
 * Urgent notes about clients the member visits in the next 48 hours (a visit under way counts),
 * written by a colleague after the member's last visit there (or in the last 7 days when they
 * have not been yet): the top of their day, soonest visit first, then latest note first. Reading a
 * note does not take it off: it goes once the member has been there.
 */
export function urgentAhead(input: {
	me: string;
	now: Date;
	visits: readonly Visit[];
	transmissions: ReadonlyMap<string, readonly Transmission[]>;
	lastVisit: ReadonlyMap<string, number>;
}): UrgentNote[] {
	const { me, now, visits } = input;
	const from = now.getTime();
	const until = from + URGENT_AHEAD_HOURS * 3_600_000;
	const next = new Map<string, number>();
	for (const v of visits) {
		if (v.carerId !== me) continue;
		const start = wallClockToInstant(v.date, v.start).getTime();
		if (endOf(v) <= from || start > until) continue;
		if (start < (next.get(v.clientId) ?? Infinity)) next.set(v.clientId, start);
	}
	const notes: UrgentNote[] = [];
	for (const [clientId, nextVisitAt] of next) {
		const since = input.lastVisit.get(clientId) ?? from - URGENT_LOOKBACK_DAYS * 24 * 3_600_000;
		for (const t of input.transmissions.get(clientId) ?? []) {
			if (t.urgent && isNewSince(t, me, since))
				notes.push({ clientId, transmission: t, nextVisitAt });
		}
	}
	return notes.sort(
		(a, b) =>
			a.nextVisitAt - b.nextVisitAt || Date.parse(b.transmission.at) - Date.parse(a.transmission.at)
	);
}

/** The address as a maps link any phone opens (its maps app, or the web). */
export function mapsLink(address: string): string | null {
	const a = address.trim();
	return a === ''
		? null
		: `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(a)}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A `?date=` value: a real calendar date, or null. */
export function parseDayParam(value: string | null): string | null {
	if (value === null || !DATE.test(value)) return null;
	const d = new Date(`${value}T12:00:00Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value ? value : null;
}
