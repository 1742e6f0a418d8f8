import { and, eq, inArray, like, or } from 'drizzle-orm';
import * as Y from 'yjs';
import { notesOf } from '$lib/collab/board';
import { readAbsences } from '$lib/collab/absences';
import { clientsOf, readReceipts } from '$lib/collab/caseload';
import type { Absence } from '$lib/domain/absences';
import type { Db } from '$lib/server/db';
import { collabChange, membership, user } from '$lib/server/db/schema';
import type { CollabServer } from '$lib/server/collab/server';

/**
 * What a person left in the team documents, found for the account export and wiped by the account
 * erasure: the transmissions they wrote in caseload documents (`authorId`), and on team boards
 * their absences and the notes they left (which carry only a display name).
 *
 * Which documents: those of the teams they belong to, and every caseload or board document the
 * change index (`collab_change`, kept through compaction) says they ever wrote in, so a team they
 * left is found too.
 */

const caseloadDoc = (teamId: string) => `team/${teamId}/caseload`;
const boardDoc = (teamId: string) => `team/${teamId}/board`;
const teamOfDoc = (docName: string) => docName.split('/')[1] ?? '';

export interface Traces {
	caseloads: string[];
	boards: string[];
	/** Board note ids they created, by team (from the change index of board and caseload documents). */
	notesCreated: Map<string, Set<string>>;
	/** Teams where their current display name is theirs alone, so a note signed with it is theirs. */
	nameIsTheirsIn: Set<string>;
	name: string;
}

export async function tracesOf(db: Db, userId: string): Promise<Traces> {
	const [[person], teams, changes] = await Promise.all([
		db.select({ name: user.name }).from(user).where(eq(user.id, userId)),
		db.select({ teamId: membership.teamId }).from(membership).where(eq(membership.userId, userId)),
		db
			.selectDistinct({
				docName: collabChange.docName,
				entry: collabChange.entry,
				field: collabChange.field
			})
			.from(collabChange)
			.where(
				and(
					eq(collabChange.userId, userId),
					or(
						like(collabChange.docName, 'team/%/caseload'),
						like(collabChange.docName, 'team/%/board')
					)
				)
			)
	]);
	const name = person?.name ?? '';
	const teamIds = teams.map((t) => t.teamId);
	const caseloads = new Set(teamIds.map(caseloadDoc));
	const boards = new Set(teamIds.map(boardDoc));
	const notesCreated = new Map<string, Set<string>>();
	for (const c of changes) {
		const teamId = teamOfDoc(c.docName);
		if (c.docName.endsWith('/caseload')) caseloads.add(c.docName);
		else boards.add(c.docName);
		// The entry itself set (field empty) is the note being made; notes moved from the caseload
		// document kept their ids, so its index counts too.
		if (!c.entry.startsWith('notes/') || c.field !== '') continue;
		boards.add(boardDoc(teamId));
		const ids = notesCreated.get(teamId) ?? new Set<string>();
		ids.add(c.entry.slice('notes/'.length));
		notesCreated.set(teamId, ids);
	}
	// Members of their teams who go by the same name (themselves included).
	const namesakes =
		teamIds.length === 0 || name === ''
			? []
			: await db
					.select({ teamId: membership.teamId })
					.from(membership)
					.innerJoin(user, eq(user.id, membership.userId))
					.where(and(inArray(membership.teamId, teamIds), eq(user.name, name)));
	const count = (teamId: string) => namesakes.filter((n) => n.teamId === teamId).length;
	return {
		caseloads: [...caseloads].sort(),
		boards: [...boards].sort(),
		notesCreated,
		nameIsTheirsIn: new Set(teamIds.filter((t) => count(t) === 1)),
		name
	};
}

type Reader = Pick<CollabServer, 'read'>;

export interface ReadReceiptOf {
	teamId: string;
	clientId: string;
	transmissionId: string;
	at: string;
}

/** When they had each transmission on screen (the caseload documents' `reads` map). */
export async function readReceiptsOf(
	collab: Reader,
	traces: Traces,
	userId: string
): Promise<ReadReceiptOf[]> {
	const perDoc = await Promise.all(
		traces.caseloads.map((docName) =>
			collab.read(docName, (doc) =>
				readReceipts(doc)
					.filter((r) => r.userId === userId)
					.map((r) => ({
						teamId: teamOfDoc(docName),
						clientId: r.clientId,
						transmissionId: r.transmissionId,
						at: new Date(r.at).toISOString()
					}))
			)
		)
	);
	return perDoc.flat().sort((a, b) => a.at.localeCompare(b.at));
}

export interface WrittenTransmission {
	teamId: string;
	clientId: string;
	at: string;
	text: string;
}

const isEntry = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

function transmissionLists(doc: Y.Doc): [string, Y.Array<unknown>][] {
	const lists: [string, Y.Array<unknown>][] = [];
	for (const [clientId, card] of clientsOf(doc).entries()) {
		const list = card instanceof Y.Map ? card.get('transmissions') : null;
		if (list instanceof Y.Array) lists.push([clientId, list as Y.Array<unknown>]);
	}
	return lists;
}

export async function transmissionsWritten(
	collab: Reader,
	traces: Traces,
	userId: string
): Promise<WrittenTransmission[]> {
	const perDoc = await Promise.all(
		traces.caseloads.map((docName) =>
			collab.read(docName, (doc) =>
				transmissionLists(doc).flatMap(([clientId, list]) =>
					list
						.toArray()
						.filter((t) => isEntry(t) && t.authorId === userId)
						.map((t) => {
							const entry = t as Record<string, unknown>;
							return {
								teamId: teamOfDoc(docName),
								clientId,
								at: String(entry.at ?? ''),
								text: String(entry.text ?? '')
							};
						})
				)
			)
		)
	);
	return perDoc.flat().sort((a, b) => a.at.localeCompare(b.at));
}

export async function absencesIn(
	collab: Reader,
	traces: Traces,
	userId: string
): Promise<(Absence & { teamId: string })[]> {
	const perDoc = await Promise.all(
		traces.boards.map((docName) =>
			collab.read(docName, (doc) =>
				readAbsences(doc)
					.filter((a) => a.memberId === userId)
					.map((a) => ({ ...a, teamId: teamOfDoc(docName) }))
			)
		)
	);
	return perDoc.flat();
}

export interface BoardNoteWritten {
	teamId: string;
	id: string;
	text: string;
	at: string;
}

function isTheirs(traces: Traces, teamId: string, id: string, note: Y.Map<string>): boolean {
	if (traces.notesCreated.get(teamId)?.has(id) === true) return true;
	// Notes written by the server (the demo, the move out of the caseload) have no author in the index.
	return (
		traces.nameIsTheirsIn.has(teamId) && traces.name !== '' && note.get('author') === traces.name
	);
}

function notesOfTheirs(doc: Y.Doc, traces: Traces, teamId: string): [string, Y.Map<string>][] {
	return [...notesOf(doc).entries()].filter(
		([id, note]) => note instanceof Y.Map && isTheirs(traces, teamId, id, note)
	);
}

export async function boardNotesWritten(
	collab: Reader,
	traces: Traces
): Promise<BoardNoteWritten[]> {
	const perDoc = await Promise.all(
		traces.boards.map((docName) =>
			collab.read(docName, (doc) =>
				notesOfTheirs(doc, traces, teamOfDoc(docName)).map(([id, note]) => ({
					teamId: teamOfDoc(docName),
					id,
					text: String(note.get('text') ?? ''),
					at: String(note.get('at') ?? '')
				}))
			)
		)
	);
	return perDoc.flat();
}

/**
 * Takes the person's name off what the team keeps: their transmissions lose `authorId` and
 * `authorName` (pages show « Ancien membre » for a blank author), their board notes lose `author`.
 * Each document touched is compacted (`erase`), so no stored update or snapshot keeps the name.
 * Returns the documents touched.
 */
export async function scrub(
	collab: Pick<CollabServer, 'read' | 'erase'>,
	traces: Traces,
	userId: string
): Promise<string[]> {
	const touched: string[] = [];
	for (const docName of traces.caseloads) {
		const found = await collab.read(docName, (doc) =>
			transmissionLists(doc).some(([, list]) =>
				list.toArray().some((t) => isEntry(t) && t.authorId === userId)
			)
		);
		if (!found) continue;
		await collab.erase(docName, (doc) => {
			for (const [, list] of transmissionLists(doc)) {
				list.toArray().forEach((t, i) => {
					if (!isEntry(t) || t.authorId !== userId) return;
					list.delete(i, 1);
					list.insert(i, [{ ...t, authorId: '', authorName: '' }]);
				});
			}
		});
		touched.push(docName);
	}
	for (const docName of traces.boards) {
		const teamId = teamOfDoc(docName);
		const found = await collab.read(
			docName,
			(doc) => notesOfTheirs(doc, traces, teamId).length > 0
		);
		if (!found) continue;
		await collab.erase(docName, (doc) => {
			for (const [, note] of notesOfTheirs(doc, traces, teamId)) note.set('author', '');
		});
		touched.push(docName);
	}
	return touched;
}
