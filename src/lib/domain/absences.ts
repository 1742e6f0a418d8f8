/**
 * Members' absences, kept in the caseload document so the rota can use them:
 *
 *   absences  Y.Map  absenceId → { memberId, kind, from: 'YYYY-MM-DD', to: 'YYYY-MM-DD', note }
 *
 * `from` and `to` are whole days, both included.
 */
export const ABSENCE_KINDS = ['leave', 'sickness', 'training', 'other'] as const;
export type AbsenceKind = (typeof ABSENCE_KINDS)[number];

export interface Absence {
	id: string;
	memberId: string;
	kind: AbsenceKind;
	from: string;
	to: string;
	note: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v));

/** The well-formed absences, by start date; `invalid` counts the entries that did not fit (never fatal). */
export function parseAbsences(raw: unknown): { absences: Absence[]; invalid: number } {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { absences: [], invalid: raw === undefined ? 0 : 1 };
	const absences: Absence[] = [];
	let invalid = 0;
	for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
		const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
		if (
			typeof v.memberId !== 'string' ||
			!ABSENCE_KINDS.includes(v.kind as AbsenceKind) ||
			!isDate(v.from) ||
			!isDate(v.to) ||
			v.to < v.from
		) {
			invalid++;
			continue;
		}
		absences.push({ id, memberId: v.memberId, kind: v.kind as AbsenceKind, from: v.from, to: v.to, note: typeof v.note === 'string' ? v.note : '' });
	}
	absences.sort((a, b) => a.from.localeCompare(b.from) || a.memberId.localeCompare(b.memberId));
	return { absences, invalid };
}

/** Whether the absence covers the day ('YYYY-MM-DD'). */
export function coversDay(absence: Absence, day: string): boolean {
	return absence.from <= day && day <= absence.to;
}

/** The absences still running or to come on `today` ('YYYY-MM-DD'). */
export function currentAndComing(absences: readonly Absence[], today: string): Absence[] {
	return absences.filter((a) => a.to >= today);
}
