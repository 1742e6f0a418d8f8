/**
 * Who may reach which team route. Every route under /teams/[teamId] is for the team's members;
 * coaches reach only the routes listed here: the team's health page, and the small endpoint its
 * open page polls to notice at once when the coach's access ends.
 * The guard in hooks.server.ts applies this to every request, pages and actions alike.
 */
export const TEAM_ROUTE_PREFIX = '/teams/[teamId]';

const COACH_ROUTES: ReadonlySet<string> = new Set<string>([
	`${TEAM_ROUTE_PREFIX}/health`,
	`${TEAM_ROUTE_PREFIX}/health/access`
]);

export type Audience = 'members' | 'members-and-coaches';

/** The audience of a route id, or null when the route is not a team route. */
export function audienceOf(routeId: string | null): Audience | null {
	if (routeId === null) return null;
	if (routeId !== TEAM_ROUTE_PREFIX && !routeId.startsWith(`${TEAM_ROUTE_PREFIX}/`)) return null;
	return COACH_ROUTES.has(routeId) ? 'members-and-coaches' : 'members';
}
