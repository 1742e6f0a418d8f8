import { coversDay, type Absence } from './absences';
import { evaluate, type Decision } from './consent';
import { PULSE_MIN_ANSWERS, type Colour, type PulseFigure } from './pulse';
import { currentHolders, roleSignals, type Assignment, type Role } from './roles';
import type { RotaClient, RotaMember, Shift, Visit } from './rota';
import { checkRota } from './rota-checks';
import { wallClockToInstant } from './time-zone';
import { addDays, DAY_MS } from './week';

/**
 * A team's health figures for one ISO week, and the signals read from them (green, amber, red by
 * the thresholds below). Pure: the server gathers the inputs from the records
 * (src/lib/server/health.ts), stores the figures per week, and the pages show them. The figures
 * hold counts and shares only: no client, no address, no care note, no individual pulse answer.
 */

/** 35 h a week is one full-time equivalent (in minutes). */
const FTE_MINUTES = 35 * 60;

/** Continuity of care is measured over this many weeks (the week and the three before). */
export const CONTINUITY_WEEKS = 4;

/** Rota warnings that are rest breaches (IDCC 2941), from the rota's own checks. */
const REST_KINDS: ReadonlySet<string> = new Set(['rest', 'days-in-row', 'fortnight-rest']);

export interface HealthMember {
	id: string;
	profession: RotaMember['profession'];
	employment: RotaMember['employment'];
	contractMinutes: number;
}

export interface HealthDecision {
	state: Decision;
	/** When it was proposed (ISO). */
	createdAt: string;
}

interface HealthRole {
	id: string;
	essential: boolean;
	/** 'YYYY-MM-DD': a role counts from the day it was made. */
	createdOn: string;
}

export interface HealthInputs {
	/** `YYYY-Www` */
	week: string;
	/** Monday of the week, 'YYYY-MM-DD'. */
	monday: string;
	/** The day states are read on (roles, reviews): the week's Sunday, or today in the current week. */
	asOf: string;
	members: readonly HealthMember[];
	/** Every decision of the team (its whole record). */
	decisions: readonly HealthDecision[];
	roles: readonly HealthRole[];
	assignments: readonly Assignment[];
	/** The clients the rota checks need (sector, restrictions); no names. */
	clients: readonly Pick<
		RotaClient,
		'id' | 'sector' | 'nurseOnly' | 'twoCarers' | 'refusedCarerIds'
	>[];
	absences: readonly Absence[];
	/** Visits of this week and the CONTINUITY_WEEKS - 1 weeks before (by date). */
	visits: readonly Visit[];
	/** Shifts (office, training, meeting) of this week and the week before. */
	shifts: readonly Shift[];
	meetings: readonly { heldOn: string; status: 'planned' | 'open' | 'closed' }[];
	pulse: PulseFigure | null;
}

export interface HealthFigures {
	/** Shape of this record, for the stored weeks. */
	version: 1;
	week: string;
	members: number;
	/** Consent rounds closed this week: answers given against answers expected. */
	participation: { rounds: number; answered: number; expected: number; share: number | null };
	/** Decisions closed this week (adopted, lapsed or withdrawn), days from proposal (median). */
	decisionDays: { decided: number; medianDays: number | null };
	/** Objections raised this week; objections integrated into decisions adopted this week. */
	objections: { raised: number; integrated: number };
	/** Adopted decisions past their review date with no later decision referring to them. */
	reviewsDue: { count: number; decisionIds: string[] };
	roles: {
		essential: number;
		essentialFilled: number;
		/** Essential roles without a holder, for the link to the roles page. */
		emptyEssentialRoleIds: string[];
		termsEnded: number;
		/** The most roles one member holds (0 without roles). */
		maxPerMember: number;
	};
	rota: { visits: number; assigned: number; coverage: number | null; unassigned: number };
	hours: {
		/** Visits and shifts (office, training, meetings) in the rota. */
		workedMinutes: number;
		/** Contracts, less the weekdays members are absent (leave, sickness, training). */
		contractMinutes: number;
		/** Contract minutes left out for absences (missing on weeks stored before it existed). */
		absentMinutes?: number;
		/** null: no contract, or nothing planned in the rota (not enough data, never red). */
		ratio: number | null;
		/** Coefficient of variation of worked / contract across members with a contract. */
		spread: number | null;
	};
	restBreaches: number;
	/** Mean number of different carers per client over CONTINUITY_WEEKS weeks. */
	continuity: { clients: number; meanCarers: number | null };
	/** Clients visited this week per full-time equivalent of contracts. */
	clientsPerFte: { clients: number; fte: number; value: number | null };
	/** Share of worked minutes spent on visits (Buurtzorg's informer reports it). */
	clientTime: { visitMinutes: number; workedMinutes: number; share: number | null };
	meetings: number;
	pulse: PulseFigure | null;
}

const round = (n: number, digits = 3) => {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
};

export function median(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Population coefficient of variation (standard deviation / mean); null when the mean is 0. */
export function coefficientOfVariation(values: readonly number[]): number | null {
	if (values.length === 0) return null;
	const mean = values.reduce((s, v) => s + v, 0) / values.length;
	if (mean === 0) return null;
	const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
	return Math.sqrt(variance) / mean;
}

/** The week as instants: [Monday 00:00, next Monday 00:00) in Paris. */
export function weekBounds(monday: string): { start: number; end: number } {
	return {
		start: wallClockToInstant(monday, 0).getTime(),
		end: wallClockToInstant(addDays(monday, 7), 0).getTime()
	};
}

const inRange = (iso: string | null, b: { start: number; end: number }) => {
	if (iso === null) return false;
	const t = Date.parse(iso);
	return t >= b.start && t < b.end;
};

/** Participation in the consent rounds that closed in the week, answers pooled over rounds. */
function participation(
	decisions: readonly Decision[],
	bounds: { start: number; end: number }
): HealthFigures['participation'] {
	let rounds = 0;
	let answered = 0;
	let expected = 0;
	for (const d of decisions) {
		d.versions.forEach((version, i) => {
			const last = i === d.versions.length - 1;
			// A version's round closes when it is amended, or when the decision closes. A version
			// amended before any answer, or withdrawn before any, had no round to speak of.
			const ran = last
				? d.stage === 'adopted' || d.stage === 'lapsed' || version.answers.length > 0
				: version.answers.length > 0;
			const closedAt = last ? (CLOSED.has(d.stage) ? d.closedAt : null) : d.versions[i + 1]!.at;
			if (!ran || !inRange(closedAt, bounds)) return;
			const participants = new Set(d.participants);
			rounds++;
			expected += participants.size;
			answered += new Set(version.answers.map((a) => a.memberId).filter((m) => participants.has(m)))
				.size;
		});
	}
	return { rounds, answered, expected, share: expected === 0 ? null : round(answered / expected) };
}

const CLOSED: ReadonlySet<string> = new Set(['adopted', 'lapsed', 'withdrawn']);

function decisionDays(
	decisions: readonly HealthDecision[],
	bounds: { start: number; end: number }
): HealthFigures['decisionDays'] {
	const days = decisions
		.filter((d) => CLOSED.has(d.state.stage) && inRange(d.state.closedAt, bounds))
		.map((d) => Math.max(0, (Date.parse(d.state.closedAt!) - Date.parse(d.createdAt)) / DAY_MS));
	const mid = median(days);
	return { decided: days.length, medianDays: mid === null ? null : round(mid, 1) };
}

/**
 * Objections raised in the week, on any decision; and those integrated: every objection made on a
 * decision adopted in the week (adoption means each was met by an amendment or withdrawn).
 */
function objections(
	decisions: readonly Decision[],
	bounds: { start: number; end: number }
): HealthFigures['objections'] {
	let raised = 0;
	let integrated = 0;
	for (const d of decisions) {
		const all = d.versions.flatMap((v) => v.answers.filter((a) => a.kind === 'objection'));
		raised += all.filter((a) => inRange(a.at, bounds)).length;
		if (d.stage === 'adopted' && inRange(d.closedAt, bounds)) integrated += all.length;
	}
	return { raised, integrated };
}

/** Adopted decisions whose review date has come by `asOf`, not yet taken up by a later decision. */
function reviewsDue(
	decisions: readonly HealthDecision[],
	asOf: string,
	asOfEnd: number
): HealthFigures['reviewsDue'] {
	const reviewed = new Set(
		decisions
			.filter((d) => d.state.refersTo !== null && Date.parse(d.createdAt) < asOfEnd)
			.map((d) => d.state.refersTo!)
	);
	const due = decisions
		.filter(
			(d) =>
				d.state.stage === 'adopted' &&
				d.state.closedAt !== null &&
				Date.parse(d.state.closedAt) < asOfEnd &&
				d.state.reviewDate <= asOf &&
				!reviewed.has(d.state.id)
		)
		.map((d) => d.state.id)
		.sort();
	return { count: due.length, decisionIds: due };
}

function roleFigures(
	roles: readonly HealthRole[],
	assignments: readonly Assignment[],
	asOf: string
): HealthFigures['roles'] {
	const existing = roles.filter((r) => r.createdOn <= asOf);
	const full: Role[] = existing.map((r) => ({
		id: r.id,
		name: '',
		purpose: '',
		accountabilities: [],
		termMonths: 12,
		essential: r.essential
	}));
	const ids = new Set(existing.map((r) => r.id));
	const relevant = assignments.filter((a) => ids.has(a.roleId) && a.from <= asOf);
	const signals = roleSignals(full, relevant, asOf);
	const empty = signals.flatMap((s) => (s.kind === 'essential-empty' ? [s.roleId] : [])).sort();
	const essential = existing.filter((r) => r.essential).length;
	const counts = new Map<string, number>();
	for (const a of currentHolders(relevant, asOf))
		counts.set(a.memberId, (counts.get(a.memberId) ?? 0) + 1);
	return {
		essential,
		essentialFilled: essential - empty.length,
		emptyEssentialRoleIds: empty,
		termsEnded: signals.filter((s) => s.kind === 'term-ended').length,
		maxPerMember: Math.max(0, ...counts.values())
	};
}

export interface MemberHours {
	id: string;
	/** Minutes of visits and shifts (office, training, meetings) in the week's rota. */
	worked: number;
	/** The contract, less a fifth per weekday the member is away (leave, sickness, training). */
	contract: number;
}

/** Each member's week in the rota against their contract net of absences. */
export function memberHours(
	input: Pick<HealthInputs, 'monday' | 'members' | 'absences' | 'visits' | 'shifts'>
): MemberHours[] {
	const sunday = addDays(input.monday, 6);
	const inWeek = (date: string) => date >= input.monday && date <= sunday;
	const weekdays = Array.from({ length: 5 }, (_, i) => addDays(input.monday, i));
	const worked = new Map<string, number>(input.members.map((m) => [m.id, 0]));
	const add = (id: string | null, minutes: number) => {
		if (id !== null && worked.has(id)) worked.set(id, worked.get(id)! + minutes);
	};
	for (const v of input.visits) if (inWeek(v.date)) add(v.carerId, v.minutes);
	for (const s of input.shifts) if (inWeek(s.date)) add(s.memberId, s.minutes);
	return input.members.map((m) => {
		const away = weekdays.filter((day) =>
			input.absences.some((a) => a.memberId === m.id && coversDay(a, day))
		).length;
		return {
			id: m.id,
			worked: worked.get(m.id)!,
			contract: Math.round((m.contractMinutes * (5 - away)) / 5)
		};
	});
}

/**
 * Spread (coefficient of variation) of worked / contract across the members who make visits:
 * other professions (coordination, office) work mostly outside the rota, which would read as an
 * unfair share. Null when nobody has worked.
 */
export function hoursSpread(
	members: readonly Pick<HealthMember, 'id' | 'profession'>[],
	hours: readonly MemberHours[]
): number | null {
	const byId = new Map(hours.map((h) => [h.id, h]));
	const ratios = members
		.map((m) => ({ m, h: byId.get(m.id) }))
		.filter(({ m, h }) => m.profession !== 'other' && h !== undefined && h.contract > 0)
		.map(({ h }) => h!.worked / h!.contract);
	return coefficientOfVariation(ratios);
}

/** Every figure of one week. */
export function computeHealth(input: HealthInputs): HealthFigures {
	const bounds = weekBounds(input.monday);
	const sunday = addDays(input.monday, 6);
	const asOfEnd = wallClockToInstant(addDays(input.asOf, 1), 0).getTime();
	const inWeek = (date: string) => date >= input.monday && date <= sunday;
	const decisions = input.decisions.map((d) => ({
		...d,
		// A round past its deadline closes when read: read it at the end of the week (or now).
		state: evaluate(d.state, new Date(Math.min(bounds.end, asOfEnd) - 1))
	}));
	const states = decisions.map((d) => d.state);

	const weekVisits = input.visits.filter((v) => inWeek(v.date));
	const weekShifts = input.shifts.filter((s) => inWeek(s.date));
	const assigned = weekVisits.filter((v) => v.carerId !== null);

	const hours = memberHours(input);
	const workedMinutes = hours.reduce((s, h) => s + h.worked, 0);
	const fullContracts = input.members.reduce((s, m) => s + m.contractMinutes, 0);
	const contractMinutes = hours.reduce((s, h) => s + h.contract, 0);
	// An empty rota says nothing about hours: not enough data, rather than "0 %".
	const spread = workedMinutes === 0 ? null : hoursSpread(input.members, hours);

	// Rest: the rota's own checks, on this week with the one before.
	const previousMonday = addDays(input.monday, -7);
	const isPrevious = (date: string) => date >= previousMonday && date < input.monday;
	const warnings =
		weekVisits.length + weekShifts.length === 0
			? []
			: checkRota({
					monday: input.monday,
					members: input.members.map((m) => ({ ...m, name: '' })),
					clients: input.clients.map((c) => ({ ...c, name: '', primaryCarerId: null })),
					absences: input.absences,
					visits: weekVisits,
					shifts: weekShifts,
					previous: {
						visits: input.visits.filter((v) => isPrevious(v.date)),
						shifts: input.shifts.filter((s) => isPrevious(s.date))
					}
				});

	// Continuity: different carers per client over the last four weeks.
	const since = addDays(input.monday, -7 * (CONTINUITY_WEEKS - 1));
	const carers = new Map<string, Set<string>>();
	for (const v of input.visits) {
		if (v.carerId === null || v.date < since || v.date > sunday) continue;
		const set = carers.get(v.clientId) ?? new Set<string>();
		set.add(v.carerId);
		carers.set(v.clientId, set);
	}
	const carerCounts = [...carers.values()].map((s) => s.size);

	const clientsSeen = new Set(weekVisits.map((v) => v.clientId)).size;
	const fte = fullContracts / FTE_MINUTES;
	const visitMinutes = assigned.reduce((s, v) => s + v.minutes, 0);
	const allWorked = visitMinutes + weekShifts.reduce((s, v) => s + v.minutes, 0);

	const pulse =
		input.pulse !== null && input.pulse.answers >= PULSE_MIN_ANSWERS ? input.pulse : null;

	return {
		version: 1,
		week: input.week,
		members: input.members.length,
		participation: participation(states, bounds),
		decisionDays: decisionDays(decisions, bounds),
		objections: objections(states, bounds),
		reviewsDue: reviewsDue(decisions, input.asOf, asOfEnd),
		roles: roleFigures(input.roles, input.assignments, input.asOf),
		rota: {
			visits: weekVisits.length,
			assigned: assigned.length,
			coverage: weekVisits.length === 0 ? null : round(assigned.length / weekVisits.length),
			unassigned: weekVisits.length - assigned.length
		},
		hours: {
			workedMinutes,
			contractMinutes,
			absentMinutes: fullContracts - contractMinutes,
			ratio:
				contractMinutes === 0 || workedMinutes === 0
					? null
					: round(workedMinutes / contractMinutes),
			spread: spread === null ? null : round(spread)
		},
		restBreaches: warnings.filter((w) => REST_KINDS.has(w.kind)).length,
		continuity: {
			clients: carerCounts.length,
			meanCarers:
				carerCounts.length === 0
					? null
					: round(carerCounts.reduce((a, b) => a + b, 0) / carerCounts.length, 2)
		},
		clientsPerFte: {
			clients: clientsSeen,
			fte: round(fte, 2),
			// No visit in the rota: the caseload is not planned yet, not empty.
			value: fte === 0 || weekVisits.length === 0 ? null : round(clientsSeen / fte, 2)
		},
		clientTime: {
			visitMinutes,
			workedMinutes: allWorked,
			share: allWorked === 0 ? null : round(visitMinutes / allWorked)
		},
		meetings: input.meetings.filter((m) => m.status !== 'planned' && inWeek(m.heldOn)).length,
		pulse
	};
}

// ---------------------------------------------------------------------------------------------
// Signals

export type { Colour } from './pulse';

export const FIGURE_KEYS = [
	'participation',
	'decisionDays',
	'objections',
	'reviewsDue',
	'essentialRoles',
	'termsEnded',
	'roleConcentration',
	'coverage',
	'unassigned',
	'hours',
	'hoursSpread',
	'restBreaches',
	'continuity',
	'clientsPerFte',
	'clientTime',
	'meetings',
	'pulse'
] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

/** The share of red answers over the pulse's four questions (0–1). */
export function pulseRedShare(pulse: PulseFigure): number {
	const questions = Object.values(pulse.questions);
	const total = questions.reduce((s, q) => s + q.green + q.amber + q.red, 0);
	return total === 0 ? 0 : round(questions.reduce((s, q) => s + q.red, 0) / total);
}

/** The one number of a figure that the chart draws and the signal reads; null when there is none. */
export function headline(f: HealthFigures, key: FigureKey): number | null {
	switch (key) {
		case 'participation':
			return f.participation.share;
		case 'decisionDays':
			return f.decisionDays.medianDays;
		case 'objections':
			return f.objections.raised;
		case 'reviewsDue':
			return f.reviewsDue.count;
		case 'essentialRoles':
			return f.roles.essential - f.roles.essentialFilled;
		case 'termsEnded':
			return f.roles.termsEnded;
		case 'roleConcentration':
			return f.roles.maxPerMember;
		case 'coverage':
			return f.rota.coverage;
		case 'unassigned':
			return f.rota.unassigned;
		case 'hours':
			return f.hours.ratio;
		case 'hoursSpread':
			return f.hours.spread;
		case 'restBreaches':
			// Nothing planned: no rest to check.
			return f.rota.visits === 0 && f.hours.workedMinutes === 0 ? null : f.restBreaches;
		case 'continuity':
			return f.continuity.meanCarers;
		case 'clientsPerFte':
			return f.clientsPerFte.value;
		case 'clientTime':
			return f.clientTime.share;
		case 'meetings':
			return f.meetings;
		case 'pulse':
			return f.pulse === null ? null : pulseRedShare(f.pulse);
	}
}

export type Threshold = {
	/**
	 * Which week the signal reads: `current` for what is planned or standing now (rota, roles,
	 * reviews), `closed` for what happens over a week and is only whole once it ended (rounds,
	 * meetings, the pulse).
	 */
	basis: 'current' | 'closed';
	/** How much a red or amber counts in the attention score. */
	weight: number;
	/** A change this large against the weeks before is a trend, not noise. */
	step: number;
} & (
	| { kind: 'higher'; green: number; amber: number }
	| { kind: 'lower'; green: number; amber: number }
	| { kind: 'band'; green: [number, number]; amber: [number, number] }
	| { kind: 'none' }
);

/**
 * The documented thresholds: green at or better than `green`, amber at or better than `amber`,
 * red beyond. Why each:
 */
export const THRESHOLDS: Record<FigureKey, Threshold> = {
	// Consent needs every participant's voice; a round where a fifth stays silent is a warning,
	// below 60 % the decisions no longer rest on the team.
	participation: { basis: 'closed', weight: 2, step: 0.1, kind: 'higher', green: 0.8, amber: 0.6 },
	// A proposal should come back within two weekly meetings; a month or more means it is stuck.
	decisionDays: { basis: 'closed', weight: 1, step: 5, kind: 'lower', green: 14, amber: 28 },
	// Objections are welcome information in sociocracy: shown, never a warning on their own.
	objections: { basis: 'closed', weight: 0, step: 2, kind: 'none' },
	// Every decision has a review date; one waiting is normal between meetings, three is a backlog.
	reviewsDue: { basis: 'current', weight: 1, step: 1, kind: 'lower', green: 1, amber: 2 },
	// Essential roles (planning, meetings, budget, figures) left empty stop the team's work.
	essentialRoles: { basis: 'current', weight: 2, step: 1, kind: 'lower', green: 0, amber: 1 },
	// A term that ran out needs an election; several at once mean elections are not happening.
	termsEnded: { basis: 'current', weight: 1, step: 1, kind: 'lower', green: 0, amber: 2 },
	// More than MAX_ROLES_PER_MEMBER (3) roles for one person: the work is not shared.
	roleConcentration: { basis: 'current', weight: 1, step: 1, kind: 'lower', green: 3, amber: 4 },
	// Every required visit should have a carer; below 90 % people go without care.
	coverage: { basis: 'current', weight: 3, step: 0.03, kind: 'higher', green: 0.98, amber: 0.9 },
	// A couple of open visits is normal while the week is planned; more than eight is a gap.
	unassigned: { basis: 'current', weight: 2, step: 2, kind: 'lower', green: 2, amber: 8 },
	// Visits and shifts in the rota against contracts net of absences. The rota cannot see travel,
	// notes, calls or unplanned work, so a low share is no sign of trouble (a team whose rota holds
	// only its visits reads 30 to 60 %): only planning past the contracts is, as people pay for it.
	// Over 110 % is a warning, over 125 % a pattern.
	hours: { basis: 'current', weight: 1, step: 0.08, kind: 'lower', green: 1.1, amber: 1.25 },
	// Spread of worked / contract across members: under 15 % is fair, over 30 % some carry the team.
	hoursSpread: { basis: 'current', weight: 1, step: 0.08, kind: 'lower', green: 0.15, amber: 0.3 },
	// Rest rules protect people (IDCC 2941): any breach is a warning, three or more a pattern.
	restBreaches: { basis: 'current', weight: 2, step: 1, kind: 'lower', green: 0, amber: 2 },
	// The rota flags more than 3 carers a week (RULES.maxCarersPerClient); over four weeks 4 is
	// good continuity, past 6 clients meet a stranger too often.
	continuity: { basis: 'current', weight: 2, step: 0.5, kind: 'lower', green: 4, amber: 6 },
	// Buurtzorg teams of 10–12 serve 40–60 people: about 4 to 7 per full-time nurse. Far fewer
	// or far more means the caseload and the team no longer match.
	clientsPerFte: {
		basis: 'current',
		weight: 1,
		step: 1,
		kind: 'band',
		green: [3, 7],
		amber: [2, 9]
	},
	// Buurtzorg's informer reports about 60 % of hours with clients; under half means the office
	// or meetings eat the week.
	clientTime: { basis: 'current', weight: 1, step: 0.05, kind: 'higher', green: 0.6, amber: 0.5 },
	// The team meets every week: a week without a meeting is a warning (never red: holidays).
	meetings: { basis: 'closed', weight: 1, step: 1, kind: 'higher', green: 1, amber: 0 },
	// Share of red answers in the pulse: up to 1 in 10 is an ordinary week, past 1 in 4 the team
	// says it is not well.
	pulse: { basis: 'closed', weight: 2, step: 0.1, kind: 'lower', green: 0.1, amber: 0.25 }
};

/** The colour of one value by its threshold; null when there is no value or no threshold. */
export function colourOf(key: FigureKey, value: number | null): Colour | null {
	const t = THRESHOLDS[key];
	if (value === null || t.kind === 'none') return null;
	switch (t.kind) {
		case 'higher':
			return value >= t.green ? 'green' : value >= t.amber ? 'amber' : 'red';
		case 'lower':
			return value <= t.green ? 'green' : value <= t.amber ? 'amber' : 'red';
		case 'band':
			return value >= t.green[0] && value <= t.green[1]
				? 'green'
				: value >= t.amber[0] && value <= t.amber[1]
					? 'amber'
					: 'red';
	}
}

/** How far a value is on the wrong side, for trends (bands: distance from their middle). */
function badness(key: FigureKey, value: number): number {
	const t = THRESHOLDS[key];
	if (t.kind === 'higher') return -value;
	if (t.kind === 'band') return Math.abs(value - (t.green[0] + t.green[1]) / 2);
	return value;
}

export type Trend = 'worse' | 'better' | 'steady';

export interface FigureSignal {
	key: FigureKey;
	/** The week the signal reads (see Threshold.basis). */
	week: string;
	value: number | null;
	colour: Colour | null;
	/** Against the median of the weeks before it. */
	trend: Trend | null;
}

/**
 * A figure's signal over a run of weeks (oldest first; the last is the current week): its value
 * in the week its basis reads, its colour, and its trend against the median of the weeks before.
 */
export function figureSignal(key: FigureKey, weeks: readonly Week[]): FigureSignal | null {
	const t = THRESHOLDS[key];
	const at = t.basis === 'closed' ? weeks.length - 2 : weeks.length - 1;
	if (at < 0) return null;
	const week = weeks[at]!;
	const value = week.figures === null ? null : headline(week.figures, key);
	const before = weeks
		.slice(0, at)
		.map((w) => (w.figures === null ? null : headline(w.figures, key)))
		.filter((v): v is number => v !== null);
	let trend: Trend | null = null;
	const mid = median(before.map((v) => badness(key, v)));
	if (value !== null && mid !== null && t.kind !== 'none') {
		const change = badness(key, value) - mid;
		trend = change >= t.step - 1e-9 ? 'worse' : change <= -t.step + 1e-9 ? 'better' : 'steady';
	}
	return { key, week: week.week, value, colour: colourOf(key, value), trend };
}

/** One week of a run: its figures, or null for a week with no record (before the team began). */
export interface Week {
	week: string;
	figures: HealthFigures | null;
}

const POINTS: Record<Colour, number> = { red: 3, amber: 1, green: 0 };

export interface TeamSignals {
	signals: FigureSignal[];
	/** Higher needs attention sooner: Σ weight × (red 3, amber 1, a worsening trend 1). */
	score: number;
	/** The figures behind the score, most pressing first. */
	attention: FigureKey[];
}

/** Every figure's signal and the attention score of a team, from its weeks (oldest first). */
export function teamSignals(weeks: readonly Week[]): TeamSignals {
	const signals = FIGURE_KEYS.map((k) => figureSignal(k, weeks)).filter(
		(s): s is FigureSignal => s !== null
	);
	const pointsOf = (s: FigureSignal) =>
		THRESHOLDS[s.key].weight *
		((s.colour === null ? 0 : POINTS[s.colour]) + (s.trend === 'worse' ? 1 : 0));
	const scored = signals
		.map((s) => ({ key: s.key, points: pointsOf(s) }))
		.filter((s) => s.points > 0)
		.sort((a, b) => b.points - a.points || FIGURE_KEYS.indexOf(a.key) - FIGURE_KEYS.indexOf(b.key));
	return {
		signals,
		score: scored.reduce((s, x) => s + x.points, 0),
		attention: scored.map((s) => s.key)
	};
}

/** Teams in the order a coach should look at them: highest score first, then by name. */
export function byAttention<T extends { name: string; score: number }>(rows: readonly T[]): T[] {
	return [...rows].sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'fr'));
}

/** The top of a figure's chart scale: shares up to 100 %, counts with room above the thresholds. */
export function chartMax(key: FigureKey, values: readonly (number | null)[]): number {
	const t = THRESHOLDS[key];
	const top = Math.max(0, ...values.filter((v): v is number => v !== null));
	const floor =
		t.kind === 'higher' || t.kind === 'lower' ? t.amber * 1.25 : t.kind === 'band' ? t.amber[1] : 4;
	if (t.kind === 'higher' && t.green <= 1 && key !== 'meetings') return Math.max(1, top);
	return Math.max(top * 1.1, floor, 1);
}

/** Where a threshold line goes on a chart: the limit of green, for one-sided figures. */
export function chartTarget(key: FigureKey): number | null {
	const t = THRESHOLDS[key];
	return t.kind === 'higher' || t.kind === 'lower' ? t.green : null;
}

/** How the page groups the figures. */
export const FIGURE_GROUPS: readonly {
	id: 'decisions' | 'roles' | 'rota' | 'care' | 'team';
	keys: FigureKey[];
}[] = [
	{ id: 'decisions', keys: ['participation', 'decisionDays', 'objections', 'reviewsDue'] },
	{ id: 'roles', keys: ['essentialRoles', 'termsEnded', 'roleConcentration'] },
	{ id: 'rota', keys: ['coverage', 'unassigned', 'hours', 'hoursSpread', 'restBreaches'] },
	{ id: 'care', keys: ['continuity', 'clientsPerFte', 'clientTime'] },
	{ id: 'team', keys: ['meetings', 'pulse'] }
];
