import type { SessionUser, ValidSession } from '$lib/server/auth/session';
import type { TeamAccess } from '$lib/server/teams/teams';

declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: ValidSession | null;
			/** Set by the guard in hooks.server.ts on every route under /teams/[teamId]. */
			team: TeamAccess | null;
		}
	}
}

export {};
