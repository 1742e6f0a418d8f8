import type { RotaWarning, RotaWarningKind } from '$lib/domain/rota-checks';
import { elision } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { formatDay, formatHours } from './format';

const dayOf = (date: string | null) =>
	date === null ? '' : formatDay(new Date(`${date}T12:00:00Z`));

/**
 * A warning as the team would say it: what is wrong, who, and what would fix it
 * (« Aïcha Benali n'a que 9 h 30 de repos avant mar. 2 déc. (11 h au moins) »).
 */
export function describeWarning(
	w: RotaWarning,
	names: {
		member(id: string | null): string;
		client(id: string | null): string;
		contract(id: string | null): number;
	}
): { text: string; fix: string } {
	const who = names.member(w.memberId);
	const client = names.client(w.clientId);
	const day = dayOf(w.date);
	const figure = w.figure ?? 0;
	switch (w.kind) {
		case 'overlap':
			return {
				text: m.rota_warn_overlap({ who, day, minutes: String(figure) }),
				fix: m.rota_fix_overlap()
			};
		case 'rest':
			return {
				text: m.rota_warn_rest({ who, day, rest: formatHours(figure) }),
				fix: m.rota_fix_rest()
			};
		case 'days-in-row':
			return {
				text: m.rota_warn_days_in_row({ who, day, count: String(figure) }),
				fix: m.rota_fix_days_in_row()
			};
		case 'fortnight-rest':
			return {
				text: m.rota_warn_fortnight({ who, count: String(figure) }),
				fix: m.rota_fix_fortnight()
			};
		case 'late-change':
			return {
				text: m.rota_warn_late_change({ who, day, count: String(figure), ...elision(who) }),
				fix: m.rota_fix_late_change({ who, ...elision(who) })
			};
		case 'over-contract':
			return {
				text: m.rota_warn_over_contract({
					who,
					hours: formatHours(figure),
					contract: formatHours(names.contract(w.memberId))
				}),
				fix: m.rota_fix_over_contract()
			};
		case 'under-contract':
			return {
				text: m.rota_warn_under_contract({
					who,
					hours: formatHours(figure),
					contract: formatHours(names.contract(w.memberId))
				}),
				fix: m.rota_fix_under_contract()
			};
		case 'qualification':
			return {
				text: m.rota_warn_qualification({ who, client, day }),
				fix: m.rota_fix_qualification()
			};
		case 'absence':
			return { text: m.rota_warn_absence({ who, day }), fix: m.rota_fix_absence() };
		case 'refused':
			return { text: m.rota_warn_refused({ who, client, day }), fix: m.rota_fix_refused() };
		case 'two-carers':
			return { text: m.rota_warn_two_carers({ client, day }), fix: m.rota_fix_two_carers() };
		case 'unassigned':
			return { text: m.rota_warn_unassigned({ client, day }), fix: m.rota_fix_unassigned() };
		case 'continuity':
			return {
				text: m.rota_warn_continuity({ client, count: String(figure), max: String(w.limit ?? '') }),
				fix: m.rota_fix_continuity()
			};
	}
}

export function warningKindLabel(kind: RotaWarningKind): string {
	return {
		overlap: m.rota_kind_overlap,
		rest: m.rota_kind_rest,
		'days-in-row': m.rota_kind_days_in_row,
		'fortnight-rest': m.rota_kind_fortnight,
		'late-change': m.rota_kind_late_change,
		'over-contract': m.rota_kind_over_contract,
		'under-contract': m.rota_kind_under_contract,
		qualification: m.rota_kind_qualification,
		absence: m.rota_kind_absence,
		refused: m.rota_kind_refused,
		'two-carers': m.rota_kind_two_carers,
		unassigned: m.rota_kind_unassigned,
		continuity: m.rota_kind_continuity
	}[kind]();
}
