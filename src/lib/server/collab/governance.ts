import type { Decision } from '$lib/domain/consent';
import type { Election } from '$lib/domain/election';
import { summary, type Mirror } from '$lib/server/decisions';
import type { CollabServer } from './server';

/**
 * The governance mirror: the server, and only the server, writes decisions into the team's
 * `team/<teamId>/governance` document (members open it read-only), so every board sees outcomes
 * live and nobody can forge one.
 */
export function governanceMirror(collab: Pick<CollabServer, 'change'>): Mirror {
	return async (teamId: string, d: Decision) => {
		await collab.change(`team/${teamId}/governance`, (doc) => {
			const meta = doc.getMap('meta');
			if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', 1);
			doc.getMap('decisions').set(d.id, summary(d));
		});
	};
}

/** The same for elections: every open board sees an election move on, and who was elected. */
export function electionMirror(collab: Pick<CollabServer, 'change'>) {
	return async (teamId: string, e: Election) => {
		await collab.change(`team/${teamId}/governance`, (doc) => {
			doc.getMap('elections').set(e.id, {
				id: e.id,
				roleId: e.roleId,
				stage: e.stage,
				proposed: e.proposed,
				nominations: e.nominations.length,
				answers: e.answers.length
			});
		});
	};
}
