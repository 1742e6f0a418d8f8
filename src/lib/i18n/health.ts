import {
	THRESHOLDS,
	type Colour,
	type FigureKey,
	type HealthFigures,
	type Trend
} from '$lib/domain/health';
import { pulseRedShare } from '$lib/domain/health';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { formatHours } from './format';

/**
 * The health figures in the team's words: a title, the value as people read it (« 82 % »,
 * « 6,5 jours »), and a plain sentence of what it means, in French or English.
 */
const intlLocale = () => (getLocale() === 'fr' ? 'fr-FR' : 'en-GB');

function formatPercent(share: number): string {
	return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 0 }).format(
		share
	);
}

function formatNumber(n: number, digits = 1): string {
	return new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: digits }).format(n);
}

function formatDays(days: number): string {
	return m.health_days({ count: days, shown: formatNumber(days) });
}

const TITLES: Record<FigureKey, () => string> = {
	participation: m.health_fig_participation,
	decisionDays: m.health_fig_decisionDays,
	objections: m.health_fig_objections,
	reviewsDue: m.health_fig_reviewsDue,
	essentialRoles: m.health_fig_essentialRoles,
	termsEnded: m.health_fig_termsEnded,
	roleConcentration: m.health_fig_roleConcentration,
	coverage: m.health_fig_coverage,
	unassigned: m.health_fig_unassigned,
	hours: m.health_fig_hours,
	hoursSpread: m.health_fig_hoursSpread,
	restBreaches: m.health_fig_restBreaches,
	continuity: m.health_fig_continuity,
	clientsPerFte: m.health_fig_clientsPerFte,
	clientTime: m.health_fig_clientTime,
	meetings: m.health_fig_meetings,
	pulse: m.health_fig_pulse
};

export function figureTitle(key: FigureKey): string {
	return TITLES[key]();
}

/** The headline value as shown beside its chart. */
export function formatValue(key: FigureKey, value: number | null): string {
	if (value === null) return m.figures_not_enough();
	switch (key) {
		case 'participation':
		case 'coverage':
		case 'hours':
		case 'hoursSpread':
		case 'clientTime':
		case 'pulse':
			return formatPercent(value);
		case 'decisionDays':
			return formatDays(value);
		case 'continuity':
		case 'clientsPerFte':
			return formatNumber(value);
		default:
			return formatNumber(value, 0);
	}
}

/** What a figure means this week, in a sentence. */
export function figureSentence(key: FigureKey, f: HealthFigures | null): string {
	if (f === null) return m.health_no_value();
	switch (key) {
		case 'participation':
			return f.participation.share === null
				? m.health_say_participation_none()
				: m.health_say_participation({
						answered: String(f.participation.answered),
						expected: String(f.participation.expected)
					});
		case 'decisionDays':
			return f.decisionDays.medianDays === null
				? m.health_say_decisionDays_none()
				: m.health_say_decisionDays({
						count: f.decisionDays.decided,
						days: formatDays(f.decisionDays.medianDays)
					});
		case 'objections':
			return m.health_say_objections({
				raised: String(f.objections.raised),
				integrated: String(f.objections.integrated)
			});
		case 'reviewsDue':
			return f.reviewsDue.count === 0
				? m.health_say_reviewsDue_zero()
				: m.health_say_reviewsDue({ count: f.reviewsDue.count });
		case 'essentialRoles':
			return f.roles.essential === 0
				? m.health_say_essentialRoles_zero()
				: m.health_say_essentialRoles({
						filled: String(f.roles.essentialFilled),
						total: String(f.roles.essential)
					});
		case 'termsEnded':
			return f.roles.termsEnded === 0
				? m.health_say_termsEnded_zero()
				: m.health_say_termsEnded({ count: f.roles.termsEnded });
		case 'roleConcentration':
			return f.roles.maxPerMember === 0
				? m.health_say_roleConcentration_zero()
				: m.health_say_roleConcentration({ count: String(f.roles.maxPerMember) });
		case 'coverage':
			return f.rota.coverage === null
				? m.health_say_coverage_none()
				: m.health_say_coverage({
						assigned: String(f.rota.assigned),
						visits: String(f.rota.visits)
					});
		case 'unassigned':
			return f.rota.unassigned === 0
				? m.health_say_unassigned_zero()
				: m.health_say_unassigned({ count: f.rota.unassigned });
		case 'hours':
			if (f.hours.contractMinutes === 0) return m.health_say_hours_none();
			return f.hours.workedMinutes === 0
				? m.health_say_hours_empty()
				: m.health_say_hours({
						worked: formatHours(f.hours.workedMinutes),
						contract: formatHours(f.hours.contractMinutes)
					});
		case 'hoursSpread':
			return f.hours.spread === null
				? m.health_say_hoursSpread_none()
				: m.health_say_hoursSpread({ spread: formatPercent(f.hours.spread) });
		case 'restBreaches':
			return f.restBreaches === 0
				? m.health_say_restBreaches_zero()
				: m.health_say_restBreaches({ count: f.restBreaches });
		case 'continuity':
			return f.continuity.meanCarers === null
				? m.health_say_continuity_none()
				: m.health_say_continuity({ mean: formatNumber(f.continuity.meanCarers) });
		case 'clientsPerFte':
			return f.clientsPerFte.value === null
				? m.health_say_clientsPerFte_none()
				: m.health_say_clientsPerFte({
						clients: String(f.clientsPerFte.clients),
						fte: formatNumber(f.clientsPerFte.fte),
						value: formatNumber(f.clientsPerFte.value)
					});
		case 'clientTime':
			return f.clientTime.share === null
				? m.health_say_clientTime_none()
				: m.health_say_clientTime({ share: formatPercent(f.clientTime.share) });
		case 'meetings':
			return f.meetings === 0
				? m.health_say_meetings_zero()
				: m.health_say_meetings({ count: f.meetings });
		case 'pulse':
			return f.pulse === null
				? m.health_say_pulse_none()
				: m.health_say_pulse({
						answers: String(f.pulse.answers),
						red: formatPercent(pulseRedShare(f.pulse))
					});
	}
}

export function colourLabel(colour: Colour | null): string {
	switch (colour) {
		case 'green':
			return m.health_colour_green();
		case 'amber':
			return m.health_colour_amber();
		case 'red':
			return m.health_colour_red();
		case null:
			return m.health_colour_none();
	}
}

/** Colour is never the only signal: each has its own shape too. */
export function colourIcon(colour: Colour | null): string {
	switch (colour) {
		case 'green':
			return '✓';
		case 'amber':
			return '⚠';
		case 'red':
			return '✖';
		case null:
			return '·';
	}
}

export function trendLabel(trend: Trend | null): string {
	if (trend === null) return '';
	return trend === 'worse'
		? m.health_trend_worse()
		: trend === 'better'
			? m.health_trend_better()
			: m.health_trend_steady();
}

export function basisLabel(key: FigureKey): string {
	return THRESHOLDS[key].basis === 'closed' ? m.health_basis_closed() : m.health_basis_current();
}

/** `S49` / `W49` for a week `2026-W49`. */
export function weekShort(week: string): string {
	return m.health_week_short({ number: String(Number(week.slice(6))) });
}

/** What a figure counts and what it cannot see, each in a sentence. */
export function figureScope(key: FigureKey): { counts: string; blind: string } {
	const counts = m[`figures_counts_${key}`];
	const blind = m[`figures_blind_${key}`];
	return { counts: counts(), blind: blind() };
}

/** Why a figure has its colour, in a sentence naming its value and thresholds. */
export function colourReason(key: FigureKey, value: number | null, colour: Colour | null): string {
	const t = THRESHOLDS[key];
	if (t.kind === 'none') return m.figures_why_no_threshold();
	if (value === null || colour === null) return m.figures_why_none();
	const v = formatValue(key, value);
	const f = (n: number) => formatValue(key, n);
	if (t.kind === 'band') {
		const bounds = {
			value: v,
			low: f(t.green[0]),
			high: f(t.green[1]),
			alow: f(t.amber[0]),
			ahigh: f(t.amber[1])
		};
		return colour === 'green'
			? m.figures_why_band_green(bounds)
			: colour === 'amber'
				? m.figures_why_band_amber(bounds)
				: m.figures_why_band_red(bounds);
	}
	const bounds = { value: v, green: f(t.green), amber: f(t.amber) };
	if (t.kind === 'higher')
		return colour === 'green'
			? m.figures_why_higher_green(bounds)
			: colour === 'amber'
				? m.figures_why_higher_amber(bounds)
				: m.figures_why_higher_red(bounds);
	return colour === 'green'
		? m.figures_why_lower_green(bounds)
		: colour === 'amber'
			? m.figures_why_lower_amber(bounds)
			: m.figures_why_lower_red(bounds);
}
