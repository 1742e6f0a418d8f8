import { error, fail, redirect } from '@sveltejs/kit';
import { isClientId } from '$lib/domain/caseload';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import * as accessLog from '$lib/server/caseload/access-log';
import { clientName } from '$lib/server/caseload/clients';
import { eraseClient } from '$lib/server/caseload/erase';
import * as history from '$lib/server/caseload/history';
import * as standards from '$lib/server/kaizen/standards';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import { lastVisitsOf } from '$lib/server/rota/rota';
import type { Actions, PageServerLoad } from './$types';
import * as services from '$lib/server/services';

/**
 * Opening a card is traced (CNIL); the card's history and trace come with the page, and the
 * client's name from the read model, so the page's title names them before the live document is
 * open (a page kept for offline use is listed by that title).
 */
export const load: PageServerLoad = async ({ locals, params }) => {
	const { teamId, userId } = memberTeam(locals);
	if (!isClientId(params.clientId)) error(404, m.error_not_found());
	await accessLog.record(db, { teamId, clientId: params.clientId, userId });
	const [name, lines, accesses, library, lastVisits] = await Promise.all([
		clientName(db, teamId, params.clientId),
		history.forClient(db, teamId, params.clientId, 500),
		accessLog.forClient(db, teamId, params.clientId, 100),
		standards.titles(db, teamId),
		lastVisitsOf(db, { teamId, userId })
	]);
	const lastVisit = lastVisits.find(([clientId]) => clientId === params.clientId)?.[1] ?? null;
	return { clientName: name, history: lines, accesses, standards: library, lastVisit };
};

export const actions: Actions = {
	/** GDPR erasure: the person's name typed again guards against a slip of the finger. */
	erase: async ({ locals, params, request }) => {
		const { teamId } = memberTeam(locals);
		if (!isClientId(params.clientId)) error(404, m.error_not_found());
		const confirmName = echo(await readForm(request), 'confirmName', 200);
		const outcome = await eraseClient(
			db,
			{ collab: services.collab(), projection: services.projections() },
			{ teamId, clientId: params.clientId, confirmName }
		);
		if (outcome === 'missing') error(404, m.error_not_found());
		if (outcome === 'mismatch') return fail(400, { eraseMismatch: true });
		redirect(303, `/teams/${teamId}/caseload?erased=1`);
	}
};
