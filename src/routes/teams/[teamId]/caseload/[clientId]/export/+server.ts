import { error, json } from '@sveltejs/kit';
import { isClientId } from '$lib/domain/caseload';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { clientExport } from '$lib/server/caseload/export';
import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { RequestHandler } from './$types';
import * as services from '$lib/server/services';

/** GDPR right of access: everything Kring holds on this client, as JSON. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { teamId } = memberTeam(locals);
	if (!isClientId(params.clientId)) error(404, m.error_not_found());
	const people = new Map((await teams.members(db, teamId)).map((p) => [p.userId, p.name]));
	const data = await clientExport(db, services.collab(), {
		teamId,
		clientId: params.clientId,
		people
	});
	if (data === null) error(404, m.error_not_found());
	return json(data, {
		headers: {
			'Content-Disposition': `attachment; filename="kring-client-${params.clientId}.json"`,
			'Cache-Control': 'no-store'
		}
	});
};
