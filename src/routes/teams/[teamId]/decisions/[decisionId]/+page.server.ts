import { error, fail } from '@sveltejs/kit';
import type { AnswerKind, Move } from '$lib/domain/consent';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as decisions from '$lib/server/governance/decisions';
import { readForm } from '$lib/server/http/form';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import * as services from '$lib/server/services';
import { isId } from '$lib/domain/ids';
import { todayIn } from '$lib/domain/time-zone';

export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	if (!isId(params.decisionId)) error(404, m.error_not_found());
	const d = await decisions.read(db, services.decisionMirror(), {
		teamId,
		decisionId: params.decisionId
	});
	if (d === null) error(404, m.error_not_found());
	const [members, coaches, history, movers, links] = await Promise.all([
		teams.members(db, teamId),
		teams.coaches(db, teamId),
		(d.change ?? null) === null ? Promise.resolve([]) : decisions.events(db, d.id),
		teams.namesOf(db, d.change?.kind === 'split' ? d.change.memberIds : []),
		decisions.links(db, teamId, d)
	]);
	const carried = history.find((e) => (e.move as { type?: string }).type === 'carried-out');
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		decision: d,
		links,
		today: todayIn(),
		carriedOut: carried === undefined ? null : (carried.move as { done: boolean; reason?: string }),
		names: Object.fromEntries([...movers, ...coaches, ...members].map((p) => [p.userId, p.name]))
	};
};

const text = (form: FormData, name: string, max = 4000) => {
	const value = form.get(name);
	return typeof value === 'string' ? value.slice(0, max) : '';
};
const version = (form: FormData) => Number.parseInt(text(form, 'version', 6), 10);

/** Every action is one move of the state machine, made by the signed-in member and nobody else. */
async function act(event: RequestEvent, build: (form: FormData) => Omit<Move, 'by'> | null) {
	const { teamId, userId } = memberTeam(event.locals);
	if (!isId(event.params.decisionId)) error(404, m.error_not_found());
	const move = build(await readForm(event.request));
	if (move === null) return fail(400, { refusal: 'invalid' as const });
	const result = await decisions.move(db, services.decisionMirror(), {
		teamId,
		decisionId: event.params.decisionId,
		userId,
		move: move as Parameters<typeof decisions.move>[2]['move']
	});
	if (!result.ok) {
		if (result.reason === 'not-found') error(404, m.error_not_found());
		return fail(400, { refusal: result.reason });
	}
	return { done: true };
}

const KINDS: AnswerKind[] = ['consent', 'concern', 'objection'];

export const actions: Actions = {
	ask: async (e) =>
		act(e, (f) => ({ type: 'ask', questionId: crypto.randomUUID(), text: text(f, 'text', 1000) })),
	clarify: async (e) =>
		act(e, (f) => ({
			type: 'clarify',
			questionId: text(f, 'questionId', 64),
			text: text(f, 'text', 2000)
		})),
	toReactions: async (e) => act(e, () => ({ type: 'to-reactions' })),
	react: async (e) => act(e, (f) => ({ type: 'react', text: text(f, 'text', 1000) })),
	openRound: async (e) => act(e, () => ({ type: 'open-round' })),
	answer: async (e) =>
		act(e, (f) => {
			const kind = text(f, 'kind', 20) as AnswerKind;
			return KINDS.includes(kind)
				? { type: 'answer', version: version(f), kind, reason: text(f, 'reason', 2000) }
				: null;
		}),
	withdrawObjection: async (e) =>
		act(e, (f) => ({ type: 'withdraw-objection', version: version(f) })),
	amend: async (e) => act(e, (f) => ({ type: 'amend', text: text(f, 'text') })),
	withdraw: async (e) => act(e, () => ({ type: 'withdraw' }))
};
