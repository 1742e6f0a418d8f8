import { error } from '@sveltejs/kit';
import { isId } from '$lib/domain/ids';
import type { Minutes } from '$lib/domain/meeting';
import { minutesMarkdown } from '$lib/i18n/minutes';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as meetings from '$lib/server/governance/meetings';
import * as teams from '$lib/server/teams/teams';
import type { RequestHandler } from './$types';

/**
 * A closed meeting's minutes as a Markdown file, in the reader's language: the team's members
 * only, as for the meeting's page (the guard in hooks.server.ts, then `memberTeam`).
 */
export const GET: RequestHandler = async ({ locals, params }) => {
	const { teamId, teamName } = memberTeam(locals);
	if (!isId(params.meetingId)) error(404, m.error_not_found());
	const meeting = await meetings.get(db, teamId, params.meetingId);
	if (meeting === null || meeting.status !== 'closed' || meeting.minutes === null)
		error(404, m.error_not_found());
	const minutes = meeting.minutes as unknown as Minutes;
	const members = new Map((await teams.members(db, teamId)).map((p) => [p.userId, p.name]));
	const nameOf = (id: string | null) =>
		id === null ? m.meeting_nobody() : (members.get(id) ?? m.caseload_former_member());
	return new Response(minutesMarkdown({ teamName, minutes, nameOf }), {
		headers: {
			'Content-Type': 'text/markdown; charset=utf-8',
			'Content-Disposition': `attachment; filename="kring-${m.minutes_file()}-${minutes.heldOn}.md"`,
			'Cache-Control': 'no-store'
		}
	});
};
