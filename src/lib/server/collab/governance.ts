import type { Advice } from '$lib/domain/advice';
import type { Decision } from '$lib/domain/consent';
import type { Election } from '$lib/domain/election';
import { adviceSummary, type AdviceMirror } from '$lib/server/governance/advice';
import { summary, type Mirror } from '$lib/server/governance/decisions';
import type { CollabServer } from './server';

/**
 * The governance mirror: the server, and only the server, writes decisions into the team's
 * `team/<teamId>/governance` document (members open it read-only), so every board sees outcomes
 * live and nobody can forge one. Every move and every deadline closing calls it after its commit,
 * so `then` is where what follows an adoption outside the database runs (a split's documents:
 * src/lib/server/team-split.ts `afterSplitAdopted`).
 */
export function governanceMirror(collab: Pick<CollabServer, 'change'>, then?: Mirror): Mirror {
	return async (teamId: string, d: Decision) => {
		await collab.change(`team/${teamId}/governance`, (doc) => {
			const meta = doc.getMap('meta');
			if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', 1);
			doc.getMap('decisions').set(d.id, summary(d));
		});
		if (then !== undefined) await then(teamId, d);
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

/** The same for advice processes: who was asked, how many answered, and once decided or withdrawn. */
export function adviceMirror(collab: Pick<CollabServer, 'change'>): AdviceMirror {
	return async (teamId: string, a: Advice) => {
		await collab.change(`team/${teamId}/governance`, (doc) => {
			const meta = doc.getMap('meta');
			if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', 1);
			doc.getMap('advice').set(a.id, adviceSummary(a));
		});
	};
}

/** Meetings opening and closing: every open meeting page follows the server's word on it. */
export function meetingMirror(collab: Pick<CollabServer, 'change'>) {
	return async (teamId: string, m: { id: string; status: string; heldOn: string }) => {
		await collab.change(`team/${teamId}/governance`, (doc) => {
			doc.getMap('meetings').set(m.id, { id: m.id, status: m.status, heldOn: m.heldOn });
		});
	};
}
