import { memberTeam } from '$lib/server/auth/guard';
import { caseloadCsv } from '$lib/server/caseload/export';
import * as services from '$lib/server/services';
import { db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { RequestHandler } from './$types';

/** The caseload as a spreadsheet, from the read model brought up to date first. */
export const GET: RequestHandler = async ({ locals }) => {
	const { teamId } = memberTeam(locals);
	await services.projections().settle(teamId);
	const carers = new Map((await teams.members(db, teamId)).map((p) => [p.userId, p.name]));
	const csv = await caseloadCsv(db, teamId, carers);
	return new Response(csv, {
		headers: {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="kring-personnes-suivies-${new Date().toISOString().slice(0, 10)}.csv"`,
			'Cache-Control': 'no-store'
		}
	});
};
