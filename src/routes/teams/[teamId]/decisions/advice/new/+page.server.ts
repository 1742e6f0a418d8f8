import { fail, redirect } from '@sveltejs/kit';
import { parseAnnounce } from '$lib/domain/advice-form';
import * as advice from '$lib/server/governance/advice';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';
import * as services from '$lib/server/services';

/** Announcing a decision one intends to take, and whom one asks for advice. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	return {
		team: { id: teamId, name: teamName },
		// One does not ask oneself.
		colleagues: (await teams.members(db, teamId))
			.filter((p) => p.userId !== userId)
			.map((p) => ({ id: p.userId, name: p.name }))
	};
};

export const actions: Actions = {
	announce: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const parsed = parseAnnounce(form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors, refusal: null });
		const out = await advice.announce(db, services.adviceMirror(), {
			...parsed.data,
			teamId,
			deciderId: userId
		});
		// Ids that are not (or no longer) colleagues leave nobody asked.
		if (!out.ok) return fail(400, { errors: {}, refusal: out.refusal });
		redirect(303, `/teams/${teamId}/decisions/advice/${out.advice.id}`);
	}
};
