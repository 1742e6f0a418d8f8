import { inArray } from 'drizzle-orm';
import * as Y from 'yjs';
import { addNote, notesOf, stampSchema } from '$lib/collab/board';
import type { BoardNote } from '$lib/domain/board';
import type { Db } from '$lib/server/db';
import { collabSnapshot, collabUpdate, team } from '$lib/server/db/schema';
import type { CollabServer } from '$lib/server/collab/server';

const boardDoc = (teamId: string) => `team/${teamId}/board`;
const caseloadDoc = (teamId: string) => `team/${teamId}/caseload`;

/**
 * The team page's notes used to live in the caseload document, so opening the team page copied
 * every client card to the device. This moves them, once, into the team's own board document
 * (`team/<teamId>/board`, src/lib/domain/board.ts) and erases them from the caseload.
 *
 * Idempotent and cheap to run at every start: a team whose board document exists is done (the move
 * stamps the board even when there was nothing to move). A note already on the board is not
 * copied again, so a stop between the copy and the erasure only repeats the erasure.
 */
export async function moveNotesToBoard(
	db: Db,
	collab: Pick<CollabServer, 'read' | 'change' | 'erase'>,
	log: Pick<Console, 'info'> = console
): Promise<{ teams: number; notes: number }> {
	const teamIds = (await db.select({ id: team.id }).from(team)).map((t) => t.id);
	const boards = teamIds.map(boardDoc);
	const existing = new Set(
		teamIds.length === 0
			? []
			: [
					...(await db
						.selectDistinct({ docName: collabSnapshot.docName })
						.from(collabSnapshot)
						.where(inArray(collabSnapshot.docName, boards))),
					...(await db
						.selectDistinct({ docName: collabUpdate.docName })
						.from(collabUpdate)
						.where(inArray(collabUpdate.docName, boards)))
				].map((row) => row.docName)
	);
	let moved = { teams: 0, notes: 0 };
	for (const teamId of teamIds) {
		if (existing.has(boardDoc(teamId))) continue;
		const count = await moveTeamNotes(collab, teamId);
		if (count > 0) log.info(`[board] moved ${count} notes of team ${teamId} to its board document`);
		moved = { teams: moved.teams + 1, notes: moved.notes + count };
	}
	return moved;
}

async function moveTeamNotes(
	collab: Pick<CollabServer, 'read' | 'change' | 'erase'>,
	teamId: string
): Promise<number> {
	const notes = await collab.read(caseloadDoc(teamId), (doc) =>
		[...notesOf(doc).entries()].map(([id, note]): BoardNote => {
			const value = (key: string) => (note instanceof Y.Map ? String(note.get(key) ?? '') : '');
			return { id, text: value('text'), author: value('author'), at: value('at') };
		})
	);
	await collab.change(boardDoc(teamId), (doc) => {
		stampSchema(doc);
		for (const { id, ...note } of notes) if (!notesOf(doc).has(id)) addNote(doc, id, note);
	});
	if (notes.length > 0) {
		await collab.erase(caseloadDoc(teamId), (doc) => {
			for (const { id } of notes) notesOf(doc).delete(id);
		});
	}
	return notes.length;
}

/** The demo's boards: one note per team, so the team page shows what the board is for. */
export async function writeDemoBoards(
	collab: Pick<CollabServer, 'change'>,
	teams: { id: string; author: string }[],
	now = new Date()
): Promise<void> {
	for (const t of teams) {
		await collab.change(boardDoc(t.id), (doc) =>
			addNote(doc, `${t.id}-welcome`, {
				text: 'Réunion d’équipe jeudi : pensez à noter vos points à l’ordre du jour.',
				author: t.author,
				at: now.toISOString()
			})
		);
	}
}
