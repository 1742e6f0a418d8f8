/**
 * The first-visit check ("entretien de mise en relation"): a short structured risk check filled in
 * together at the client's first visit. Kept on the card as `firstVisit` (a Y.Map, so two people
 * filling in different items at once both keep theirs).
 *
 *   firstVisit  Y.Map { date: 'YYYY-MM-DD' | null, introducedBy: memberId | null,
 *                       newCarerId: memberId | null, nurseOnly: boolean, twoCarers: boolean,
 *                       access | falls | medication | cognition | isolation | familyCarer:
 *                         { level: RiskLevel | null, note: string } }
 */
export const RISK_ITEMS = [
	'access',
	'falls',
	'medication',
	'cognition',
	'isolation',
	'familyCarer'
] as const;
export type RiskItem = (typeof RISK_ITEMS)[number];

export const RISK_LEVELS = ['none', 'low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskFinding {
	level: RiskLevel | null;
	note: string;
}

export interface FirstVisitCheck {
	date: string | null;
	introducedBy: string | null;
	newCarerId: string | null;
	/** Only a nurse may be assigned to this client's visits. */
	nurseOnly: boolean;
	/** Visits need two carers (transfers, hoist). */
	twoCarers: boolean;
	findings: Record<RiskItem, RiskFinding>;
}

export type FirstVisitStatus = 'missing' | 'incomplete' | 'complete';

const NOTE_MAX = 1000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the check from the card's JSON; null when the card has none. `ok` false when something did not fit. */
export function parseFirstVisit(raw: unknown): { check: FirstVisitCheck | null; ok: boolean } {
	if (raw === undefined || raw === null) return { check: null, ok: true };
	if (typeof raw !== 'object' || Array.isArray(raw)) return { check: null, ok: false };
	const v = raw as Record<string, unknown>;
	let ok = true;
	const id = (value: unknown): string | null => {
		if (value === undefined || value === null) return null;
		if (typeof value === 'string' && value !== '') return value;
		ok = false;
		return null;
	};
	const flag = (value: unknown): boolean => {
		if (value === undefined) return false;
		if (typeof value === 'boolean') return value;
		ok = false;
		return false;
	};
	let date: string | null = null;
	if (typeof v.date === 'string' && DATE.test(v.date)) date = v.date;
	else if (v.date !== undefined && v.date !== null && v.date !== '') ok = false;
	const findings = {} as Record<RiskItem, RiskFinding>;
	for (const item of RISK_ITEMS) {
		const f = v[item];
		if (f === undefined || f === null) {
			findings[item] = { level: null, note: '' };
			continue;
		}
		const fv = typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, unknown>) : null;
		if (fv === null) ok = false;
		const level = RISK_LEVELS.includes(fv?.level as RiskLevel) ? (fv?.level as RiskLevel) : null;
		if (fv !== null && fv.level !== undefined && fv.level !== null && level === null) ok = false;
		const note = typeof fv?.note === 'string' ? fv.note.slice(0, NOTE_MAX) : '';
		if (fv !== null && fv.note !== undefined && typeof fv.note !== 'string') ok = false;
		findings[item] = { level, note };
	}
	return {
		check: {
			date,
			introducedBy: id(v.introducedBy),
			newCarerId: id(v.newCarerId),
			nurseOnly: flag(v.nurseOnly),
			twoCarers: flag(v.twoCarers),
			findings
		},
		ok
	};
}

/** Complete once it has a date and a level for every item; a card without a check shows it. */
export function firstVisitStatus(check: FirstVisitCheck | null): FirstVisitStatus {
	if (check === null || isBlank(check)) return 'missing';
	const levelled = RISK_ITEMS.every((item) => check.findings[item].level !== null);
	return check.date !== null && levelled ? 'complete' : 'incomplete';
}

/** A check nobody has started filling in (cards are made with an empty one). */
function isBlank(check: FirstVisitCheck): boolean {
	return (
		check.date === null &&
		check.introducedBy === null &&
		check.newCarerId === null &&
		RISK_ITEMS.every(
			(item) => check.findings[item].level === null && check.findings[item].note === ''
		)
	);
}

/** The items still to fill in, in the check's order. */
export function missingItems(check: FirstVisitCheck | null): RiskItem[] {
	return RISK_ITEMS.filter((item) => check === null || check.findings[item].level === null);
}

/** Who may be assigned, as the check decided: the rota respects these. */
export function assignmentRestrictions(check: FirstVisitCheck | null): {
	nurseOnly: boolean;
	twoCarers: boolean;
} {
	return { nurseOnly: check?.nurseOnly ?? false, twoCarers: check?.twoCarers ?? false };
}

/**
 * What the findings suggest the team restrict (the team decides): a high medication risk points to
 * nurse-only visits, a high fall risk to two carers for transfers.
 */
export function suggestedRestrictions(check: FirstVisitCheck | null): {
	nurseOnly: boolean;
	twoCarers: boolean;
} {
	return {
		nurseOnly: check?.findings.medication.level === 'high',
		twoCarers: check?.findings.falls.level === 'high'
	};
}
