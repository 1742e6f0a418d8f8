import { error, fail } from '@sveltejs/kit';
import type { AnswerKind } from '$lib/domain/consent';
import type { ElectionMove } from '$lib/domain/election';
import { todayIn } from '$lib/domain/time-zone';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import * as roles from '$lib/server/governance/roles';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import * as services from '$lib/server/services';
import { isId } from '$lib/domain/ids';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	if (!isId(params.electionId)) error(404, m.error_not_found());
	const election = await roles.readElection(db, teamId, params.electionId);
	if (election === null) error(404, m.error_not_found());
	const [overview, members] = await Promise.all([
		roles.overview(db, teamId, todayIn()),
		teams.members(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		election,
		role: overview.roles.find((r) => r.id === election.roleId) ?? null,
		names: Object.fromEntries(members.map((p) => [p.userId, p.name]))
	};
};

type Move = Parameters<typeof roles.electionMove>[1]['move'];

/** Each action is one move of the election, by the signed-in member and nobody else. */
async function act(event: RequestEvent, build: (form: FormData) => Move | null) {
	const { teamId, userId } = memberTeam(event.locals);
	if (!isId(event.params.electionId)) error(404, m.error_not_found());
	const move = build(await readForm(event.request));
	if (move === null) return fail(400, { refusal: 'invalid' as const });
	const result = await roles.electionMove(db, {
		teamId,
		electionId: event.params.electionId,
		userId,
		move,
		today: todayIn(),
		mirror: services.electionMirror()
	});
	if (!result.ok) {
		if (result.reason === 'not-found') error(404, m.error_not_found());
		return fail(400, { refusal: result.reason });
	}
	return { done: true };
}

const KINDS: AnswerKind[] = ['consent', 'concern', 'objection'];
const nominee = (f: FormData) => echo(f, 'nominee', 64);

export const actions: Actions = {
	nominate: async (e) =>
		act(e, (f) => ({ type: 'nominate', nominee: nominee(f), reason: echo(f, 'reason', 1000) })),
	openChanges: async (e) => act(e, () => ({ type: 'open-changes' })),
	change: async (e) =>
		act(e, (f) => ({ type: 'change', nominee: nominee(f), reason: echo(f, 'reason', 1000) })),
	propose: async (e) => act(e, (f) => ({ type: 'propose', nominee: nominee(f) })),
	answer: async (e) =>
		act(e, (f) => {
			const kind = echo(f, 'kind', 20) as AnswerKind;
			return KINDS.includes(kind)
				? ({ type: 'answer', kind, reason: echo(f, 'reason', 1000) } as ElectionMove)
				: null;
		}),
	decline: async (e) => act(e, (f) => ({ type: 'decline', reason: echo(f, 'reason', 1000) })),
	cancel: async (e) => act(e, () => ({ type: 'cancel' }))
};
