import type { AbsenceKind } from '$lib/domain/absences';
import type { Employment } from '$lib/domain/forms';
import { m } from '$lib/paraglide/messages';
import { formatDay } from './format';

export const absenceKindLabel = (kind: AbsenceKind): string =>
	({
		leave: m.absence_kind_leave,
		sickness: m.absence_kind_sickness,
		training: m.absence_kind_training,
		other: m.absence_kind_other
	})[kind]();

export const employmentLabel = (employment: Employment): string =>
	employment === 'salaried' ? m.people_salaried() : m.people_self_employed();

/** `du lun. 1 déc. au ven. 5 déc.`, or `le lun. 1 déc.` for one day. Dates are calendar days. */
export function formatDateRange(from: string, to: string): string {
	const day = (d: string) => formatDay(new Date(`${d}T12:00:00Z`));
	return from === to
		? m.absence_on_day({ day: day(from) })
		: m.absence_range({ from: day(from), to: day(to) });
}
