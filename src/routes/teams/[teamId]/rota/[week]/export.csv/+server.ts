import { error } from '@sveltejs/kit';
import { parseDocumentName } from '$lib/domain/documents';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import * as services from '$lib/server/services';
import { db } from '$lib/server/db';
import { rotaCsv } from '$lib/server/rota/export';
import * as teams from '$lib/server/teams/teams';
import type { RequestHandler } from './$types';

/** The week as a spreadsheet, from the read model brought up to date first. */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { teamId } = memberTeam(locals);
	if (parseDocumentName(`team/${teamId}/rota/${params.week}`) === null)
		error(404, m.error_not_found());
	await services.projections().settle(teamId);
	const people = new Map((await teams.members(db, teamId)).map((p) => [p.userId, p.name]));
	return new Response(await rotaCsv(db, { teamId, week: params.week, people }), {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="kring-planning-${params.week}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
