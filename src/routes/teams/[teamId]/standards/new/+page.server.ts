import { cardIdSchema, adoptionRefusal, standardDraftFromCard } from '$lib/domain/kaizen';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as kaizen from '$lib/server/kaizen/kaizen';
import { proposeFromForm } from '$lib/server/kaizen/standard-action';
import * as services from '$lib/server/services';
import type { Actions, PageServerLoad } from './$types';

/** A new standard; from a kaizen card (`?card=`), drafted from it and adopting it by consent. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { teamId, teamName } = memberTeam(locals);
	const cardId = cardIdSchema.safeParse(url.searchParams.get('card'));
	const card = cardId.success
		? ((await kaizen.board(db, services.collab(), teamId)).find((c) => c.id === cardId.data) ??
			null)
		: null;
	return {
		team: { id: teamId, name: teamName },
		card:
			card === null
				? null
				: {
						id: card.id,
						title: card.title,
						draft: standardDraftFromCard(card),
						refusal: adoptionRefusal(card, card.shown)
					}
	};
};

export const actions: Actions = {
	propose: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		return proposeFromForm(request, { teamId, userId, standardId: null });
	}
};
