import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import * as teams from '$lib/server/teams/teams';
import type { SessionUser } from './session';
import { audienceOf } from './route-access';

function loginUrl(url: URL): string {
	return `/login?next=${encodeURIComponent(url.pathname + url.search)}`;
}

/** The signed-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	if (event.locals.user === null) redirect(303, loginUrl(event.url));
	return event.locals.user;
}

/**
 * The one access check for team routes, run by hooks.server.ts before any load or action:
 * anonymous → login; not a member (or a coach outside the coach pages) → 404, as if the team did
 * not exist, so team ids cannot be probed. Every team page reads the team's governance, so the
 * team's rounds whose deadline passed are closed first (src/lib/server/governance/deadlines.ts).
 */
export async function guardTeamRoute(
	db: Db,
	event: RequestEvent,
	options: {
		/** Run before access is decided: closes the team's due rounds (a coach's access may hang on one). */
		beforeAccess?: (teamId: string) => Promise<unknown>;
	} = {}
): Promise<void> {
	const audience = audienceOf(event.route.id);
	if (audience === null) return;
	const user = requireUser(event);
	const teamId = event.params.teamId ?? '';
	const wellFormed = teamId.length > 0 && teamId.length <= 64;
	if (wellFormed) await options.beforeAccess?.(teamId);
	const access = wellFormed ? await teams.access(db, user.id, teamId) : null;
	const allowed =
		access !== null && (access.kind === 'member' || audience === 'members-and-coaches');
	if (!allowed) error(404, m.error_not_found());
	event.locals.team = access;
}

/** The team of a members-only route, as established by the guard. */
export function memberTeam(locals: App.Locals): {
	teamId: string;
	teamName: string;
	userId: string;
} {
	const team = locals.team;
	const user = locals.user;
	// The guard already refused everyone else; this keeps a mis-registered route from leaking.
	if (team === null || team.kind !== 'member' || user === null) error(404, m.error_not_found());
	return { teamId: team.teamId, teamName: team.teamName, userId: user.id };
}
