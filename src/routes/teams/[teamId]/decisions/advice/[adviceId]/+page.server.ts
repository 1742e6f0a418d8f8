import { error, fail } from '@sveltejs/kit';
import { adviseSchema, decideSchema } from '$lib/domain/advice-form';
import { parseForm } from '$lib/domain/forms';
import { m } from '$lib/paraglide/messages';
import * as advice from '$lib/server/governance/advice';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import * as services from '$lib/server/services';
import { isId } from '$lib/domain/ids';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	if (!isId(params.adviceId)) error(404, m.error_not_found());
	const a = await advice.read(db, { teamId, adviceId: params.adviceId });
	if (a === null) error(404, m.error_not_found());
	const members = await teams.members(db, teamId);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		advice: a,
		names: Object.fromEntries(members.map((p) => [p.userId, p.name]))
	};
};

type Move = Parameters<typeof advice.move>[2]['move'];

/** Every action is one move of the state machine, made by the signed-in member and nobody else. */
async function act(event: RequestEvent, move: Move) {
	const { teamId, userId } = memberTeam(event.locals);
	const result = await advice.move(db, services.adviceMirror(), {
		teamId,
		adviceId: event.params.adviceId,
		userId,
		move
	});
	if (!result.ok) {
		if (result.refusal.kind === 'not-found') error(404, m.error_not_found());
		return fail(400, { refusal: result.refusal });
	}
	return { done: true };
}

/** The form of a move on a known id: unknown ids are a 404 before anything is read. */
async function formOf(event: RequestEvent): Promise<FormData> {
	if (!isId(event.params.adviceId)) error(404, m.error_not_found());
	return readForm(event.request);
}

export const actions: Actions = {
	advise: async (event) => {
		const parsed = parseForm(adviseSchema, await formOf(event));
		if (!parsed.ok) return fail(400, { action: 'advise' as const, errors: parsed.errors });
		return act(event, { type: 'advise', text: parsed.data.text });
	},
	decide: async (event) => {
		const parsed = parseForm(decideSchema, await formOf(event));
		if (!parsed.ok) return fail(400, { action: 'decide' as const, errors: parsed.errors });
		return act(event, { type: 'decide', text: parsed.data.text, howShaped: parsed.data.howShaped });
	},
	withdraw: async (event) => {
		await formOf(event);
		return act(event, { type: 'withdraw' });
	}
};
