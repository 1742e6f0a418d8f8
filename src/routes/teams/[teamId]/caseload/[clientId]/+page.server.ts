import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const members = await teams.members(db, teamId);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		clientId: params.clientId,
		members: members.map((m) => ({ id: m.userId, name: m.name, profession: m.profession }))
	};
};
