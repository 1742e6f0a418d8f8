import { and, asc, eq, like } from 'drizzle-orm';
import * as Y from 'yjs';
import { clientsOf, readCards, stampSchema } from '$lib/collab/caseload';
import { removeShift, removeVisit, shiftsMap, updateVisit, visitsMap } from '$lib/collab/rota';
import { absencesDocument, absencesMap, readAbsences } from '$lib/collab/absences';
import { parseShift, parseVisit } from '$lib/domain/rota';
import { todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { collabSnapshot, collabUpdate, decision, decisionEvent } from '$lib/server/db/schema';
import type { Projections } from '$lib/server/collab/projections';
import type { CollabServer } from '$lib/server/collab/server';
import { caseloadDoc } from '$lib/server/caseload/history';
import type { Mirror } from '$lib/server/governance/decisions';
import { weekOf } from '$lib/domain/week';

/**
 * Splitting a team, the live documents' part. The adopting transaction made the new team and moved
 * the memberships (team-change-effects.ts); once it is committed, this moves the chosen sectors'
 * client cards (every field, texts and notebooks included, copied by value into fresh Yjs types)
 * from the team's caseload document into the new team's, and the movers' absences from board to
 * board, then deletes them from the old ones. The old team's rota weeks from this week on drop those clients' visits
 * (the new team plans them) and the movers' shifts, and no longer name a mover as carrier of a
 * staying client's visit; days already past stay as they were, like the rest of its history.
 *
 * Runs once: a `split-moved` event of the decision marks it done, and calls are serialised, so
 * running it again (a second read of the decision, the sweep at start) changes nothing. Every step
 * before the mark can be repeated: a card already in the new document is not copied again.
 */
export interface SplitParts {
	collab: Pick<CollabServer, 'read' | 'change'>;
	projection: Pick<Projections, 'refreshCaseload' | 'refresh'>;
	log?: Pick<Console, 'error'>;
}

export type SplitOutcome =
	| { status: 'moved'; teamId: string; clients: number; absences: number }
	| { status: 'already' }
	| { status: 'nothing' };

type Split = { kind: 'split'; name: string; memberIds: string[]; sectors: string[] };

/** Serialises the documents' part of one decision within this process. */
const running = new Map<string, Promise<unknown>>();

/**
 * What the governance mirror runs after it wrote a decision: the documents' part of an adopted
 * split. Failures are logged, not thrown: the decision is adopted; the sweep at start finishes it.
 */
export function afterSplitAdopted(db: Db, parts: SplitParts): Mirror {
	return async (teamId, d) => {
		if (d.stage !== 'adopted' || d.change?.kind !== 'split') return;
		try {
			await completeSplit(db, parts, { teamId, decisionId: d.id });
		} catch (error) {
			(parts.log ?? console).error(`[split] decision ${d.id} of team ${teamId} failed:`, error);
		}
	};
}

/** Finishes every adopted split whose documents were not moved yet (run at start). */
export async function resumeSplits(db: Db, parts: SplitParts): Promise<number> {
	const adopted = await db
		.select({ id: decision.id, teamId: decision.teamId, state: decision.state })
		.from(decision)
		.where(and(eq(decision.area, 'team'), eq(decision.stage, 'adopted')));
	let moved = 0;
	for (const d of adopted) {
		if (d.state.change?.kind !== 'split') continue;
		const outcome = await completeSplit(db, parts, { teamId: d.teamId, decisionId: d.id });
		if (outcome.status === 'moved') moved++;
	}
	return moved;
}

export function completeSplit(
	db: Db,
	parts: SplitParts,
	input: { teamId: string; decisionId: string; now?: Date }
): Promise<SplitOutcome> {
	const previous = running.get(input.decisionId) ?? Promise.resolve();
	const next = previous.catch(() => {}).then(() => moveDocuments(db, parts, input));
	running.set(input.decisionId, next);
	void next
		.finally(() => {
			if (running.get(input.decisionId) === next) running.delete(input.decisionId);
		})
		.catch(() => {});
	return next;
}

async function moveDocuments(
	db: Db,
	parts: SplitParts,
	input: { teamId: string; decisionId: string; now?: Date }
): Promise<SplitOutcome> {
	const { collab } = parts;
	const [row] = await db
		.select({ state: decision.state })
		.from(decision)
		.where(and(eq(decision.id, input.decisionId), eq(decision.teamId, input.teamId)));
	const change = row?.state.change;
	if (row === undefined || row.state.stage !== 'adopted' || change?.kind !== 'split')
		return { status: 'nothing' };
	const events = await db
		.select({ move: decisionEvent.move })
		.from(decisionEvent)
		.where(eq(decisionEvent.decisionId, input.decisionId))
		.orderBy(asc(decisionEvent.seq));
	const moves = events.map((e) => e.move as { type?: string; done?: boolean; teamId?: string });
	if (moves.some((m) => m.type === 'split-moved')) return { status: 'already' };
	const carried = moves.find((m) => m.type === 'carried-out');
	if (carried?.done !== true || typeof carried.teamId !== 'string') return { status: 'nothing' };
	const newTeamId = carried.teamId;
	const from = caseloadDoc(input.teamId);
	const to = caseloadDoc(newTeamId);
	const movers = new Set(change.memberIds);

	// Both documents in memory first, so copying reads and writes them without waiting on storage.
	await collab.read(to, () => null);
	const copied = await collab.read(from, (doc) => portable(doc, change));
	await collab.change(to, (doc) => {
		stampSchema(doc);
		const clients = clientsOf(doc);
		for (const [id, card] of copied.cards) if (!clients.has(id)) clients.set(id, card.value);
	});
	const absences = await collab.read(absencesDocument(input.teamId), (doc) =>
		moversAbsences(doc, movers)
	);
	await collab.change(absencesDocument(newTeamId), (doc) => {
		const map = absencesMap(doc);
		for (const [id, value] of absences) if (!map.has(id)) map.set(id, value);
	});
	// Deleted from the old document only once the copies are stored; whatever changed on a card in
	// between is copied again, so no edit made meanwhile is lost.
	let latest = new Map<string, { json: string; value: Y.Map<unknown> }>();
	await collab.change(from, (doc) => {
		latest = portable(doc, change, [...copied.cards.keys()]).cards;
		const clients = clientsOf(doc);
		for (const id of copied.cards.keys()) clients.delete(id);
	});
	await collab.change(absencesDocument(input.teamId), (doc) => {
		for (const id of absences.keys()) absencesMap(doc).delete(id);
	});
	const changed = [...latest].filter(([id, card]) => copied.cards.get(id)?.json !== card.json);
	if (changed.length > 0)
		await collab.change(to, (doc) => {
			for (const [id, card] of changed) clientsOf(doc).set(id, card.value);
		});

	// The new team's cards are all the old team's so far: after a run cut short, these still name
	// the clients whose visits leave the old rota, even once their cards left the old document.
	const arrived = await collab.read(to, (doc) => [...clientsOf(doc).keys()]);
	const now = input.now ?? new Date();
	const rotas = await dropFromRotas(db, parts, {
		teamId: input.teamId,
		clientIds: new Set([...copied.cards.keys(), ...arrived]),
		movers,
		today: todayIn(undefined, now),
		now
	});

	const marked = await db.transaction(async (tx) => {
		const [locked] = await tx
			.select({ revision: decision.revision })
			.from(decision)
			.where(eq(decision.id, input.decisionId))
			.for('update');
		if (locked === undefined) return false;
		const done = await tx
			.select({ move: decisionEvent.move })
			.from(decisionEvent)
			.where(eq(decisionEvent.decisionId, input.decisionId));
		if (done.some((e) => (e.move as { type?: string }).type === 'split-moved')) return false;
		const seq = locked.revision + 1;
		await tx.insert(decisionEvent).values({
			decisionId: input.decisionId,
			seq,
			userId: null,
			move: {
				type: 'split-moved',
				teamId: newTeamId,
				clients: copied.cards.size,
				absences: absences.size
			},
			at: now
		});
		await tx.update(decision).set({ revision: seq }).where(eq(decision.id, input.decisionId));
		return true;
	});
	await parts.projection.refreshCaseload(input.teamId);
	await parts.projection.refreshCaseload(newTeamId);
	for (const name of rotas) await parts.projection.refresh(name);
	if (!marked) return { status: 'already' };
	return {
		status: 'moved',
		teamId: newTeamId,
		clients: copied.cards.size,
		absences: absences.size
	};
}

/**
 * The cards of the split's sectors (or of `ids`), read from a document:
 * each card as a detached copy in fresh Yjs types (to be set once into the other document) and as
 * JSON, to see whether it changed in between.
 */
function portable(doc: Y.Doc, change: Split, ids?: string[]) {
	const clients = clientsOf(doc);
	const sectors = new Set(change.sectors);
	const wanted =
		ids ??
		readCards(doc)
			.filter(({ card }) => sectors.has(card.sector))
			.map(({ card }) => card.id);
	const cards = new Map<string, { json: string; value: Y.Map<unknown> }>();
	for (const id of wanted) {
		const value = clients.get(id);
		if (!(value instanceof Y.Map)) continue;
		// A detached copy now: the live card may change (or go) before it is written elsewhere.
		cards.set(id, {
			json: JSON.stringify(value.toJSON()),
			value: copyValue(value) as Y.Map<unknown>
		});
	}
	return { cards };
}

/** The movers' absences on a team board (plain JSON values, copied as they are). */
function moversAbsences(doc: Y.Doc, movers: ReadonlySet<string>): Map<string, unknown> {
	const raw = absencesMap(doc);
	const absences = new Map<string, unknown>();
	for (const a of readAbsences(doc)) if (movers.has(a.memberId)) absences.set(a.id, raw.get(a.id));
	return absences;
}

/**
 * A fresh copy of a document value for another document: maps, arrays and texts deep and by value
 * (a Yjs type belongs to one document only); plain JSON values as they are.
 */
function copyValue(value: unknown): unknown {
	if (value instanceof Y.Text) {
		const text = new Y.Text();
		text.applyDelta(value.toDelta());
		return text;
	}
	if (value instanceof Y.Map) {
		const map = new Y.Map<unknown>();
		for (const [key, inner] of value.entries()) map.set(key, copyValue(inner));
		return map;
	}
	if (value instanceof Y.Array) {
		const array = new Y.Array<unknown>();
		array.push(value.toArray().map(copyValue));
		return array;
	}
	// Types the caseload schema does not use (XML): kept as their JSON rather than lost.
	if (value instanceof Y.AbstractType) return value.toJSON();
	return value;
}

/** The old team's rota weeks from this one on: moved clients and movers leave them from today. */
async function dropFromRotas(
	db: Db,
	parts: SplitParts,
	input: {
		teamId: string;
		clientIds: Set<string>;
		movers: Set<string>;
		today: string;
		now: Date;
	}
): Promise<string[]> {
	const current = weekOf(input.today);
	const prefix = `team/${input.teamId}/rota/`;
	const names = (
		await db
			.selectDistinct({ name: collabSnapshot.docName })
			.from(collabSnapshot)
			.where(like(collabSnapshot.docName, `${prefix}%`))
			.union(
				db
					.selectDistinct({ name: collabUpdate.docName })
					.from(collabUpdate)
					.where(like(collabUpdate.docName, `${prefix}%`))
			)
	)
		.map((r) => r.name)
		.filter((name) => name.slice(prefix.length) >= current)
		.sort();
	const touched: string[] = [];
	for (const name of names) {
		const plan = await parts.collab.read(name, (doc) => rotaChanges(doc, input));
		if (plan.drop.length + plan.unassign.length + plan.shifts.length === 0) continue;
		await parts.collab.change(name, (doc) => {
			// Read again inside the change: the week may have moved on since.
			const again = rotaChanges(doc, input);
			for (const id of again.drop) removeVisit(doc, id);
			for (const id of again.unassign)
				updateVisit(doc, id, { carerId: null, offer: null }, input.now);
			for (const id of again.shifts) removeShift(doc, id);
			const generated = doc.getMap('generated');
			const dropped = new Set(again.drop);
			for (const [key, id] of generated.entries())
				if (typeof id === 'string' && dropped.has(id)) generated.delete(key);
		});
		touched.push(name);
	}
	return touched;
}

function rotaChanges(
	doc: Y.Doc,
	input: { clientIds: Set<string>; movers: Set<string>; today: string }
) {
	const drop: string[] = [];
	const unassign: string[] = [];
	const shifts: string[] = [];
	for (const [id, raw] of visitsMap(doc).entries()) {
		const visit = parseVisit(id, raw);
		if (visit === null || visit.date < input.today) continue;
		if (input.clientIds.has(visit.clientId)) drop.push(id);
		else if (visit.carerId !== null && input.movers.has(visit.carerId)) unassign.push(id);
	}
	for (const [id, raw] of shiftsMap(doc).entries()) {
		const shift = parseShift(id, raw);
		if (shift !== null && shift.date >= input.today && input.movers.has(shift.memberId))
			shifts.push(id);
	}
	return { drop, unassign, shifts };
}
