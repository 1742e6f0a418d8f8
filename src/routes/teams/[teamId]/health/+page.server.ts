import { error } from '@sveltejs/kit';
import type { FigureKey } from '$lib/domain/health';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { shareable, teamHealth } from '$lib/server/health/health';
import type { PageServerLoad } from './$types';
import * as services from '$lib/server/services';

/**
 * The team's health page, for its members and its coach (route-access.ts lets coaches in): the
 * same figures, charts and sentences for both. Only the links to member pages (the rota week, the
 * roles, the decision past review) are members-only, as those pages are.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const access = locals.team;
	if (access === null) error(404, m.error_not_found());
	const health = await teamHealth(db, access.teamId, { documents: services.collab() });
	if (health === null) error(404, m.error_not_found());
	const weeks = health.weeks.map((w) => ({
		week: w.week,
		figures: w.figures === null ? null : shareable(w.figures)
	}));
	let links: Partial<Record<FigureKey, string>> | null = null;
	if (access.kind === 'member') {
		const base = `/teams/${access.teamId}`;
		const current = health.weeks.at(-1)!;
		const rota = `${base}/rota/${current.week}`;
		const due = current.figures?.reviewsDue.decisionIds[0];
		links = {
			participation: `${base}/decisions`,
			decisionDays: `${base}/decisions`,
			objections: `${base}/decisions`,
			reviewsDue: due === undefined ? `${base}/decisions` : `${base}/decisions/${due}`,
			essentialRoles: `${base}/roles`,
			termsEnded: `${base}/roles`,
			roleConcentration: `${base}/roles`,
			coverage: rota,
			unassigned: rota,
			hours: rota,
			hoursSpread: rota,
			restBreaches: rota,
			continuity: rota,
			clientTime: rota
		};
	}
	return {
		team: { id: access.teamId, name: access.teamName },
		weeks,
		signals: health.signals,
		score: health.score,
		attention: health.attention,
		links
	};
};
