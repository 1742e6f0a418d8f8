import * as mirrors from '$lib/server/collab/governance';
import {
	collabServer,
	decisionMirror as instanceDecisionMirror,
	projections as readModel
} from '$lib/server/collab/instance';
import type { Projections } from '$lib/server/collab/projections';
import type { CollabServer } from '$lib/server/collab/server';
import type { AdviceMirror } from '$lib/server/governance/advice';
import type { Mirror } from '$lib/server/governance/decisions';
import type { SplitParts } from '$lib/server/teams/split';

/**
 * The process's long-lived services, each built once on first use: the collab server, its
 * read-model projection, and the mirrors through which governance changes reach the team's
 * read-only governance document. Routes and hooks take them from here, never assemble them.
 */

export function collab(): CollabServer {
	return collabServer();
}

export function projections(): Projections {
	return readModel();
}

/** What a team split needs to move its documents. */
export function splitParts(): SplitParts {
	return { collab: collabServer(), projection: readModel() };
}

let advice: AdviceMirror | null = null;
let elections: ReturnType<typeof mirrors.electionMirror> | null = null;
let meetings: ReturnType<typeof mirrors.meetingMirror> | null = null;

/** Decisions into the governance document; an adopted split then moves its documents. */
export function decisionMirror(): Mirror {
	return instanceDecisionMirror();
}

export function adviceMirror(): AdviceMirror {
	advice ??= mirrors.adviceMirror(collabServer());
	return advice;
}

export function electionMirror(): ReturnType<typeof mirrors.electionMirror> {
	elections ??= mirrors.electionMirror(collabServer());
	return elections;
}

export function meetingMirror(): ReturnType<typeof mirrors.meetingMirror> {
	meetings ??= mirrors.meetingMirror(collabServer());
	return meetings;
}
