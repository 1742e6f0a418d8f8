import * as Y from 'yjs';
import {
	parseShift,
	parseVisit,
	ROTA_SCHEMA_VERSION,
	type Shift,
	type Visit
} from '$lib/domain/rota';
import type { Suggestion } from '$lib/domain/rota-plan';
import { toCover } from '$lib/domain/rota-cover';
import { canTake, takeable, type SwapContext } from '$lib/domain/rota-swap';
import { splitVisit as splitInTwo } from '$lib/domain/rota-week';

/**
 * Reading and writing a rota week's document (schema in src/lib/domain/rota.ts), shared by the
 * browser (the week grid) and the server (generation, projections, the calendar feed).
 * Visits and shifts are plain JSON values replaced whole, so two people changing one visit at once
 * end with one of the two versions, never a mix.
 */
export function visitsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('visits');
}

export function shiftsMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('shifts');
}

function stampSchema(doc: Y.Doc): void {
	const meta = doc.getMap('meta');
	if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', ROTA_SCHEMA_VERSION);
}

export interface RotaWeek {
	visits: Visit[];
	shifts: Shift[];
	/** Entries that did not fit their shape: counted and shown, never fatal. */
	invalid: number;
}

export function readWeek(doc: Y.Doc): RotaWeek {
	const week: RotaWeek = { visits: [], shifts: [], invalid: 0 };
	for (const [id, raw] of visitsMap(doc).entries()) {
		const visit = parseVisit(id, raw);
		if (visit === null) week.invalid++;
		else week.visits.push(visit);
	}
	for (const [id, raw] of shiftsMap(doc).entries()) {
		const shift = parseShift(id, raw);
		if (shift === null) week.invalid++;
		else week.shifts.push(shift);
	}
	const order = (
		a: { date: string; start: number; id: string },
		b: { date: string; start: number; id: string }
	) => a.date.localeCompare(b.date) || a.start - b.start || a.id.localeCompare(b.id);
	week.visits.sort(order);
	week.shifts.sort(order);
	return week;
}

const plainVisit = ({ id: _id, ...rest }: Visit) => rest;
const plainShift = ({ id: _id, ...rest }: Shift) => rest;

export function putVisit(doc: Y.Doc, visit: Visit): void {
	doc.transact(() => {
		stampSchema(doc);
		visitsMap(doc).set(visit.id, plainVisit(visit));
	});
}

/**
 * Changes a visit. A change of carer, day or time is stamped with `now`, for the rule that a
 * salaried carer's schedule is announced seven days ahead.
 */
export function updateVisit(
	doc: Y.Doc,
	id: string,
	patch: Partial<Omit<Visit, 'id' | 'changedAt'>>,
	now = new Date()
): boolean {
	const current = parseVisit(id, visitsMap(doc).get(id));
	if (current === null) return false;
	const next: Visit = { ...current, ...patch };
	const moved =
		next.carerId !== current.carerId || next.date !== current.date || next.start !== current.start;
	if (moved) next.changedAt = now.toISOString();
	putVisit(doc, next);
	return true;
}

export function removeVisit(doc: Y.Doc, id: string): void {
	visitsMap(doc).delete(id);
}

export function putShift(doc: Y.Doc, shift: Shift): void {
	doc.transact(() => {
		stampSchema(doc);
		shiftsMap(doc).set(shift.id, plainShift(shift));
	});
}

export function removeShift(doc: Y.Doc, id: string): void {
	shiftsMap(doc).delete(id);
}

/** The pattern keys generation already made in this week. */
export function generatedKeys(doc: Y.Doc): Set<string> {
	return new Set(doc.getMap('generated').keys());
}

/** Writes generated visits and remembers their keys, in one transaction. */
export function applyGenerated(
	doc: Y.Doc,
	result: { visits: Visit[]; keys: [string, string][] }
): void {
	doc.transact(() => {
		stampSchema(doc);
		const generated = doc.getMap('generated');
		for (const visit of result.visits) visitsMap(doc).set(visit.id, plainVisit(visit));
		for (const [key, id] of result.keys) generated.set(key, id);
	});
}

/** A suggestion as accepted: which visit goes to whom (its reasons stay on the page). */
type Chosen = Pick<Suggestion, 'visitId' | 'carerId'>;

/** Accepts suggestions (all, or the ones a member kept), in one transaction: one undo step. */
function applySuggestions(doc: Y.Doc, suggestions: readonly Chosen[], now = new Date()): void {
	doc.transact(() => {
		for (const s of suggestions) {
			const visit = parseVisit(s.visitId, visitsMap(doc).get(s.visitId));
			if (visit === null || visit.carerId !== null) continue; // taken meanwhile by someone else
			updateVisit(doc, s.visitId, { carerId: s.carerId }, now);
		}
	});
}

/**
 * Accepts suggestions like `applySuggestions` and returns the undo: it puts back the visits as they
 * were, but only those nobody has changed since.
 */
export function acceptSuggestions(
	doc: Y.Doc,
	suggestions: readonly Chosen[],
	now = new Date()
): () => void {
	const before = suggestions.map((s) => [s.visitId, visitsMap(doc).get(s.visitId)] as const);
	applySuggestions(doc, suggestions, now);
	const after = new Map(suggestions.map((s) => [s.visitId, visitsMap(doc).get(s.visitId)]));
	return () => {
		doc.transact(() => {
			for (const [id, value] of before) {
				if (value !== undefined && visitsMap(doc).get(id) === after.get(id))
					visitsMap(doc).set(id, value);
			}
		});
	};
}

/** Cuts a visit in two halves (see `splitVisit` in src/lib/domain/rota-week.ts), in one step. */
export function splitVisit(doc: Y.Doc, id: string, newId: string): boolean {
	const visit = parseVisit(id, visitsMap(doc).get(id));
	if (visit === null) return false;
	const [first, second] = splitInTwo(visit, newId);
	doc.transact(() => {
		updateVisit(doc, id, { minutes: first.minutes });
		putVisit(doc, second);
	});
	return true;
}

/** The carer offers their visit to colleagues (it stays theirs until someone takes it). */
export function offerVisit(doc: Y.Doc, id: string, by: string, now = new Date()): boolean {
	const visit = parseVisit(id, visitsMap(doc).get(id));
	if (visit === null || visit.carerId !== by) return false;
	putVisit(doc, { ...visit, offer: { by, at: now.toISOString() } });
	return true;
}

export function withdrawOffer(doc: Y.Doc, id: string): void {
	const visit = parseVisit(id, visitsMap(doc).get(id));
	if (visit !== null && visit.offer) putVisit(doc, { ...visit, offer: null });
}

/**
 * A colleague takes an offered visit, or one to cover: it becomes theirs at once. The caller has
 * checked with `canTake` (src/lib/domain/rota-swap.ts) that they break no rule by taking it.
 */
export function takeVisit(doc: Y.Doc, id: string, takerId: string, now = new Date()): boolean {
	const visit = parseVisit(id, visitsMap(doc).get(id));
	if (visit === null || takeable(visit) === null) return false;
	doc.transact(() => {
		updateVisit(doc, id, { carerId: takerId }, now);
		const taken = parseVisit(id, visitsMap(doc).get(id));
		if (taken !== null) putVisit(doc, { ...taken, offer: null, cover: null });
	});
	return true;
}

/** A sick member's visits become to cover (rota-cover.ts), in one transaction; how many. */
export function markToCover(doc: Y.Doc, visits: readonly Visit[], at: Date): number {
	let count = 0;
	doc.transact(() => {
		for (const visit of visits) {
			const current = parseVisit(visit.id, visitsMap(doc).get(visit.id));
			if (current === null || current.carerId !== visit.carerId) continue;
			putVisit(doc, toCover(current, at));
			count++;
		}
	});
	return count;
}

/**
 * Checks with `canTake` against the week as the document holds it now, and takes the visit when the
 * taker breaks no rule; the refusal otherwise.
 */
export function takeIfAllowed(
	doc: Y.Doc,
	ctx: Omit<SwapContext, 'visits' | 'shifts'>,
	input: { visitId: string; takerId: string; now?: Date }
): ReturnType<typeof canTake> {
	const now = input.now ?? new Date();
	const week = readWeek(doc);
	const visit = week.visits.find((v) => v.id === input.visitId);
	if (visit === undefined) return { ok: false, reason: 'not-offered' };
	const verdict = canTake({ ...ctx, ...week }, { visit, takerId: input.takerId, now });
	if (verdict.ok) takeVisit(doc, visit.id, input.takerId, now);
	return verdict;
}

/**
 * Deleting visits with an undo that reverts this person's deletions only: a Y.UndoManager on the
 * visits, tracking this one origin, so undoing never touches what colleagues changed meanwhile
 * (nor this person's other edits). `undo` puts back the last deleted visit as it was.
 */
export function visitDeletion(doc: Y.Doc) {
	const origin = { deletion: true };
	const manager = new Y.UndoManager(visitsMap(doc), {
		trackedOrigins: new Set([origin]),
		captureTimeout: 0
	});
	return {
		remove(id: string): void {
			doc.transact(() => visitsMap(doc).delete(id), origin);
		},
		undo(): boolean {
			return manager.undo() !== null;
		},
		destroy(): void {
			manager.destroy();
		}
	};
}
