import { absencesDocument, readAbsences } from '$lib/collab/absences';
import { readWeek } from '$lib/collab/rota';
import { formatDocumentName } from '$lib/domain/documents';
import type { Visit } from '$lib/domain/rota';
import { canTake } from '$lib/domain/rota-swap';
import { isoWeekOf, mondayOf } from '$lib/domain/week';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import type { Db } from '$lib/server/db';
import * as teamRules from '$lib/server/governance/rules';
import { weekContext } from './rota';

export const weekDoc = (teamId: string, week: string) =>
	formatDocumentName({ kind: 'rota', teamId, ...isoWeekOf(mondayOf(week)!) });

/** What taking is checked against for one week: the week's context with the live absences. */
export async function swapContext(db: Db, documents: DocumentReader, teamId: string, week: string) {
	const monday = mondayOf(week)!;
	const [context, absences, rules] = await Promise.all([
		weekContext(db, documents, { teamId, monday }),
		documents.read(absencesDocument(teamId), readAbsences),
		teamRules.current(db, teamId)
	]);
	return { ...context, monday, absences, notice: rules.swapNotice };
}

/**
 * For each visit (offered or to cover) of one week, the members who could take it now, by the
 * same rules as taking it (rota-swap.ts), on the week as the document holds it.
 */
export async function candidatesFor(
	db: Db,
	documents: DocumentReader,
	input: { teamId: string; week: string; visitIds: readonly string[]; now: Date }
): Promise<Map<string, { visit: Visit; candidates: string[] }>> {
	const out = new Map<string, { visit: Visit; candidates: string[] }>();
	if (input.visitIds.length === 0) return out;
	const ctx = await swapContext(db, documents, input.teamId, input.week);
	const current = await documents.read(weekDoc(input.teamId, input.week), readWeek);
	for (const visit of current.visits) {
		if (!input.visitIds.includes(visit.id)) continue;
		const candidates = ctx.members
			.filter((m) => canTake({ ...ctx, ...current }, { visit, takerId: m.id, now: input.now }).ok)
			.map((m) => m.id);
		out.set(visit.id, { visit, candidates });
	}
	return out;
}
