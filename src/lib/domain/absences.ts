/**
 * Members' absences, kept in the team board document (`team/<teamId>/board`, which holds no client
 * data: the People page opens it, not the caseload; they lived in the caseload document until
 * src/lib/server/board/move-absences.ts moved them):
 *
 *   absences  Y.Map  absenceId → { memberId, kind, from: 'YYYY-MM-DD', to: 'YYYY-MM-DD', note,
 *                                  startsAt?: minutes, endsAt?: minutes }
 *
 * `from` and `to` are days, both included; an absence may start during its first day (`startsAt`,
 * minutes after midnight) or end during its last (`endsAt`): a training that ends at noon.
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
	/** Minutes after midnight on `from` when it starts; null: the whole day. */
	startsAt?: number | null;
	/** Minutes after midnight on `to` when it ends; null: the whole day. */
	endsAt?: number | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string =>
	typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v));

/** The well-formed absences, by start date; `invalid` counts the entries that did not fit (never fatal). */
export function parseAbsences(raw: unknown): { absences: Absence[]; invalid: number } {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
		return { absences: [], invalid: raw === undefined ? 0 : 1 };
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
		const minutes = (x: unknown) =>
			Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 24 * 60 ? (x as number) : null;
		absences.push({
			id,
			memberId: v.memberId,
			kind: v.kind as AbsenceKind,
			from: v.from,
			to: v.to,
			note: typeof v.note === 'string' ? v.note : '',
			startsAt: minutes(v.startsAt),
			endsAt: minutes(v.endsAt)
		});
	}
	absences.sort((a, b) => a.from.localeCompare(b.from) || a.memberId.localeCompare(b.memberId));
	return { absences, invalid };
}

/**
 * Whether the absence overlaps work on `date` from `start` for `minutes` (minutes after midnight):
 * a visit in the afternoon after a morning training is not during the absence.
 */
export function overlapsWork(
	absence: Absence,
	date: string,
	start: number,
	minutes: number
): boolean {
	if (!coversDay(absence, date)) return false;
	if (date === absence.from && absence.startsAt != null && start + minutes <= absence.startsAt)
		return false;
	if (date === absence.to && absence.endsAt != null && start >= absence.endsAt) return false;
	return true;
}

/** Whether the absence covers the day ('YYYY-MM-DD'), even in part. */
export function coversDay(absence: Absence, day: string): boolean {
	return absence.from <= day && day <= absence.to;
}

/** The absences still running or to come on `today` ('YYYY-MM-DD'). */
export function currentAndComing(absences: readonly Absence[], today: string): Absence[] {
	return absences.filter((a) => a.to >= today);
}
