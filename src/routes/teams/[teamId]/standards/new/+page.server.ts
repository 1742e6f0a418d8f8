import { memberTeam } from '$lib/server/auth/guard';
import { proposeFromForm } from '$lib/server/kaizen/standard-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName } = memberTeam(locals);
	return { team: { id: teamId, name: teamName } };
};

export const actions: Actions = {
	propose: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		return proposeFromForm(request, { teamId, userId, standardId: null });
	}
};
