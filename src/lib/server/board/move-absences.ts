import type * as Y from 'yjs';
import { absencesDocument, absencesMap } from '$lib/collab/absences';
import { stampSchema } from '$lib/collab/board';
import type { Db } from '$lib/server/db';
import { team } from '$lib/server/db/schema';
import type { CollabServer } from '$lib/server/collab/server';

const caseloadDoc = (teamId: string) => `team/${teamId}/caseload`;
/** The board's `meta` key saying its team's absences live here now. */
const MOVED = 'absences';

/**
 * Absences used to live in the caseload document, so the People page (and anything showing who is
 * away) opened every client card. This moves them, once per team, into the team board document
 * (`team/<teamId>/board`, no client data) and erases them from the caseload.
 *
 * Idempotent and cheap to run at every start: a board stamped `meta.absences = 'here'` is done, and
 * only its (small) board is read. An absence already on the board is not copied again, so a stop
 * between the copy and the erasure only repeats the erasure.
 */
export async function moveAbsencesToBoard(
	db: Db,
	collab: Pick<CollabServer, 'read' | 'change' | 'erase'>,
	log: Pick<Console, 'info'> = console
): Promise<{ teams: number; absences: number }> {
	const teamIds = (await db.select({ id: team.id }).from(team)).map((t) => t.id);
	let moved = { teams: 0, absences: 0 };
	for (const teamId of teamIds) {
		const done = await collab.read(absencesDocument(teamId), (doc) =>
			doc.getMap('meta').get(MOVED)
		);
		if (done === 'here') continue;
		const count = await moveTeamAbsences(collab, teamId);
		if (count > 0) log.info(`[board] moved ${count} absences of team ${teamId} to its board`);
		moved = { teams: moved.teams + 1, absences: moved.absences + count };
	}
	return moved;
}

async function moveTeamAbsences(
	collab: Pick<CollabServer, 'read' | 'change' | 'erase'>,
	teamId: string
): Promise<number> {
	const entries = await collab.read(caseloadDoc(teamId), (doc) => [...absencesMap(doc).entries()]);
	await collab.change(absencesDocument(teamId), (doc) => {
		stampSchema(doc);
		const absences = absencesMap(doc);
		for (const [id, value] of entries) if (!absences.has(id)) absences.set(id, value);
		doc.getMap('meta').set(MOVED, 'here');
	});
	if (entries.length > 0) {
		await collab.erase(caseloadDoc(teamId), (doc) => {
			for (const [id] of entries) absencesMap(doc).delete(id);
		});
	}
	return entries.length;
}

/** Marks a board as holding its team's absences (a new team, the demo): nothing to move there. */
export function markAbsencesHere(doc: Y.Doc): void {
	doc.getMap('meta').set(MOVED, 'here');
}
