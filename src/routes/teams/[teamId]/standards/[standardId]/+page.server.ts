import { error } from '@sveltejs/kit';
import { isId } from '$lib/domain/ids';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { proposeFromForm } from '$lib/server/kaizen/standard-action';
import * as standards from '$lib/server/kaizen/standards';
import type { Actions, PageServerLoad } from './$types';

/**
 * One care standard: its current version in full (a plain page, readable offline once cached),
 * its history, and a change proposed through a decision.
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName } = memberTeam(locals);
	if (!isId(params.standardId)) error(404, m.error_not_found());
	const standard = await standards.get(db, teamId, params.standardId);
	if (standard === null) error(404, m.error_not_found());
	return {
		team: { id: teamId, name: teamName },
		standard: {
			id: standard.id,
			current: standard.current,
			versions: standard.versions.map((v) => ({ ...v, at: v.at.toISOString() }))
		}
	};
};

export const actions: Actions = {
	propose: async ({ locals, request, params }) => {
		const { teamId, userId } = memberTeam(locals);
		if (!isId(params.standardId)) error(404, m.error_not_found());
		return proposeFromForm(request, { teamId, userId, standardId: params.standardId });
	}
};
