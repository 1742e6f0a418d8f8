import type * as Y from 'yjs';
import { ABSENCE_KINDS, parseAbsences, type Absence, type AbsenceKind } from '$lib/domain/absences';

/**
 * The team's absences, kept in the team board document `team/<teamId>/board` (no client data, so
 * the People page and the rota read them without opening the caseload); schema in
 * src/lib/domain/absences.ts.
 */
export const absencesDocument = (teamId: string) => `team/${teamId}/board`;

export function absencesMap(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap('absences');
}

export function readAbsences(doc: Y.Doc): Absence[] {
	return parseAbsences(absencesMap(doc).toJSON()).absences;
}

const minutes = (x: number | null | undefined) =>
	Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 24 * 60 ? (x as number) : null;

export type AbsenceRefusal = 'dates-invalid' | 'end-before-start' | 'kind-invalid';

/** Records an absence; its id, or why it was refused. */
export function addAbsence(
	doc: Y.Doc,
	input: {
		memberId: string;
		kind: AbsenceKind;
		from: string;
		to: string;
		note?: string;
		startsAt?: number | null;
		endsAt?: number | null;
	}
): { ok: true; id: string } | { ok: false; reason: AbsenceRefusal } {
	const date = /^\d{4}-\d{2}-\d{2}$/;
	if (
		!date.test(input.from) ||
		!date.test(input.to) ||
		Number.isNaN(Date.parse(input.from)) ||
		Number.isNaN(Date.parse(input.to))
	)
		return { ok: false, reason: 'dates-invalid' };
	if (input.to < input.from) return { ok: false, reason: 'end-before-start' };
	if (!ABSENCE_KINDS.includes(input.kind)) return { ok: false, reason: 'kind-invalid' };
	const id = crypto.randomUUID();
	absencesMap(doc).set(id, {
		memberId: input.memberId,
		kind: input.kind,
		from: input.from,
		to: input.to,
		note: (input.note ?? '').trim().slice(0, 300),
		...(minutes(input.startsAt) === null ? {} : { startsAt: input.startsAt }),
		...(minutes(input.endsAt) === null ? {} : { endsAt: input.endsAt })
	});
	return { ok: true, id };
}

export function removeAbsence(doc: Y.Doc, id: string): void {
	absencesMap(doc).delete(id);
}
