import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import {
	absence,
	adviceEvent,
	adviceProcess,
	calendarFeed,
	clientAccess,
	coachCall,
	coaching,
	decision,
	decisionEvent,
	election,
	electionEvent,
	invitation,
	loginDevice,
	membership,
	pulseResponse,
	role,
	roleAssignment,
	rotaTake,
	rotaVisit,
	session,
	team,
	user
} from '$lib/server/db/schema';
import type { CollabServer } from '$lib/server/collab/server';
import * as documents from './documents';

/** The tables' side of the export: one query per kind of record, each row labelled with its team. */
function fromTables(db: Db, userId: string) {
	return Promise.all([
		db
			.select({ id: user.id, name: user.name, email: user.email, createdAt: user.createdAt })
			.from(user)
			.where(eq(user.id, userId)),
		db
			.select({
				team: team.name,
				profession: membership.profession,
				contractMinutes: membership.contractMinutes,
				employment: membership.employment,
				joinedAt: membership.joinedAt
			})
			.from(membership)
			.innerJoin(team, eq(team.id, membership.teamId))
			.where(eq(membership.userId, userId)),
		db
			.select({ team: team.name, since: coaching.since })
			.from(coaching)
			.innerJoin(team, eq(team.id, coaching.teamId))
			.where(eq(coaching.userId, userId)),
		// Never the secret hashes: when each began and was last used.
		db
			.select({ startedAt: session.createdAt, lastUsedAt: session.lastVerifiedAt })
			.from(session)
			.where(eq(session.userId, userId))
			.orderBy(asc(session.createdAt)),
		db
			.select({ firstUsedAt: loginDevice.createdAt, lastUsedAt: loginDevice.lastUsedAt })
			.from(loginDevice)
			.where(eq(loginDevice.userId, userId))
			.orderBy(asc(loginDevice.createdAt)),
		db
			.select({
				team: team.name,
				kind: invitation.kind,
				createdAt: invitation.createdAt,
				expiresAt: invitation.expiresAt,
				usedAt: invitation.usedAt
			})
			.from(invitation)
			.innerJoin(team, eq(team.id, invitation.teamId))
			.where(eq(invitation.createdBy, userId)),
		db
			.select({
				team: team.name,
				title: decision.title,
				area: decision.area,
				stage: decision.stage,
				createdAt: decision.createdAt,
				closedAt: decision.closedAt
			})
			.from(decision)
			.innerJoin(team, eq(team.id, decision.teamId))
			.where(eq(decision.proposerId, userId))
			.orderBy(asc(decision.createdAt)),
		db
			.select({
				team: team.name,
				decision: decision.title,
				move: decisionEvent.move,
				at: decisionEvent.at
			})
			.from(decisionEvent)
			.innerJoin(decision, eq(decision.id, decisionEvent.decisionId))
			.innerJoin(team, eq(team.id, decision.teamId))
			.where(eq(decisionEvent.userId, userId))
			.orderBy(asc(decisionEvent.at)),
		db
			.select({
				team: team.name,
				title: adviceProcess.title,
				area: adviceProcess.area,
				stage: adviceProcess.stage,
				createdAt: adviceProcess.createdAt,
				closedAt: adviceProcess.closedAt
			})
			.from(adviceProcess)
			.innerJoin(team, eq(team.id, adviceProcess.teamId))
			.where(eq(adviceProcess.deciderId, userId))
			.orderBy(asc(adviceProcess.createdAt)),
		db
			.select({
				team: team.name,
				advice: adviceProcess.title,
				move: adviceEvent.move,
				at: adviceEvent.at
			})
			.from(adviceEvent)
			.innerJoin(adviceProcess, eq(adviceProcess.id, adviceEvent.adviceId))
			.innerJoin(team, eq(team.id, adviceProcess.teamId))
			.where(eq(adviceEvent.userId, userId))
			.orderBy(asc(adviceEvent.at)),
		db
			.select({
				team: team.name,
				role: role.name,
				from: roleAssignment.from,
				until: roleAssignment.until,
				endedOn: roleAssignment.endedOn
			})
			.from(roleAssignment)
			.innerJoin(role, eq(role.id, roleAssignment.roleId))
			.innerJoin(team, eq(team.id, role.teamId))
			.where(eq(roleAssignment.memberId, userId))
			.orderBy(asc(roleAssignment.from)),
		db
			.select({ team: team.name, role: role.name, move: electionEvent.move, at: electionEvent.at })
			.from(electionEvent)
			.innerJoin(election, eq(election.id, electionEvent.electionId))
			.innerJoin(role, eq(role.id, election.roleId))
			.innerJoin(team, eq(team.id, election.teamId))
			.where(eq(electionEvent.userId, userId))
			.orderBy(asc(electionEvent.at)),
		db
			.select({
				team: team.name,
				teamId: absence.teamId,
				id: absence.id,
				kind: absence.kind,
				from: absence.startsOn,
				to: absence.endsOn,
				startsAt: absence.startsAt,
				endsAt: absence.endsAt
			})
			.from(absence)
			.innerJoin(team, eq(team.id, absence.teamId))
			.where(eq(absence.memberId, userId)),
		db
			.select({
				team: team.name,
				week: rotaVisit.week,
				date: rotaVisit.date,
				start: rotaVisit.start,
				minutes: rotaVisit.minutes,
				clientId: rotaVisit.clientId,
				qualification: rotaVisit.qualification
			})
			.from(rotaVisit)
			.innerJoin(team, eq(team.id, rotaVisit.teamId))
			.where(eq(rotaVisit.carerId, userId))
			.orderBy(asc(rotaVisit.date), asc(rotaVisit.start)),
		// The trace of their own opens of client cards (a null client: the whole caseload).
		db
			.select({ team: team.name, clientId: clientAccess.clientId, at: clientAccess.at })
			.from(clientAccess)
			.innerJoin(team, eq(team.id, clientAccess.teamId))
			.where(eq(clientAccess.userId, userId))
			.orderBy(asc(clientAccess.at)),
		db
			.select({ team: team.name, week: pulseResponse.week })
			.from(pulseResponse)
			.innerJoin(team, eq(team.id, pulseResponse.teamId))
			.where(eq(pulseResponse.userId, userId)),
		db
			.select({
				team: team.name,
				createdAt: calendarFeed.createdAt,
				revokedAt: calendarFeed.revokedAt
			})
			.from(calendarFeed)
			.innerJoin(team, eq(team.id, calendarFeed.teamId))
			.where(eq(calendarFeed.userId, userId)),
		db
			.select({ team: team.name, note: coachCall.note, at: coachCall.at })
			.from(coachCall)
			.innerJoin(team, eq(team.id, coachCall.teamId))
			.where(eq(coachCall.calledBy, userId)),
		// Visits they took when offered or to cover (first come, first served).
		db
			.select({ team: team.name, visitId: rotaTake.visitId, at: rotaTake.at })
			.from(rotaTake)
			.innerJoin(team, eq(team.id, rotaTake.teamId))
			.where(eq(rotaTake.takerId, userId))
			.orderBy(asc(rotaTake.at))
	]);
}

/**
 * Everything Kring keeps about a person, for them to take away (GDPR right of access and
 * portability), grouped by kind and labelled with the team. Secrets (password hash, session and
 * device hashes, invitation and feed tokens) are left out; so is what belongs to others (a
 * transmission names the client by id only, an access trace holds ids).
 */
export async function exportData(db: Db, collab: Pick<CollabServer, 'read'>, userId: string) {
	const [
		[account],
		memberships,
		coached,
		sessions,
		loginDevices,
		invitationsCreated,
		proposed,
		decisionMoves,
		adviceDecided,
		adviceMoves,
		roles,
		electionMoves,
		absenceRows,
		rotaVisits,
		accessTraces,
		pulseAnswered,
		calendarFeeds,
		coachCalls,
		visitsTaken
	] = await fromTables(db, userId);
	if (account === undefined) return null;
	const traces = await documents.tracesOf(db, userId);
	const [transmissions, absencesInDocs, boardNotes, reads] = await Promise.all([
		documents.transmissionsWritten(collab, traces, userId),
		documents.absencesIn(collab, traces, userId),
		documents.boardNotesWritten(collab, traces),
		documents.readReceiptsOf(collab, traces, userId)
	]);
	const teamIds = [
		...new Set([...transmissions, ...absencesInDocs, ...boardNotes, ...reads].map((t) => t.teamId))
	];
	const teamNames = new Map(
		teamIds.length === 0
			? []
			: (
					await db
						.select({ id: team.id, name: team.name })
						.from(team)
						.where(inArray(team.id, teamIds))
				).map((t) => [t.id, t.name])
	);
	const teamName = (id: string) => teamNames.get(id) ?? id;

	// The team board document is where absences are kept (with their note); the table is its read model.
	const inDocs = new Set(absencesInDocs.map((a) => `${a.teamId}/${a.id}`));
	const absences = [
		...absencesInDocs.map((a) => ({
			team: teamName(a.teamId),
			kind: a.kind,
			from: a.from,
			to: a.to,
			startsAt: a.startsAt ?? null,
			endsAt: a.endsAt ?? null,
			note: a.note
		})),
		...absenceRows
			.filter((a) => !inDocs.has(`${a.teamId}/${a.id}`))
			.map(({ team: t, kind, from, to, startsAt, endsAt }) => ({
				team: t,
				kind,
				from,
				to,
				startsAt,
				endsAt,
				note: ''
			}))
	].sort((a, b) => a.from.localeCompare(b.from));

	return {
		exportedAt: new Date().toISOString(),
		account: { name: account.name, email: account.email, createdAt: account.createdAt },
		memberships,
		coaching: coached,
		sessions,
		loginDevices,
		invitationsCreated,
		decisions: { proposed, moves: decisionMoves },
		advice: { decided: adviceDecided, moves: adviceMoves },
		roles,
		elections: { moves: electionMoves },
		absences,
		rotaVisits,
		visitsTaken,
		transmissions: transmissions.map((t) => ({
			team: teamName(t.teamId),
			clientId: t.clientId,
			at: t.at,
			text: t.text
		})),
		boardNotes: boardNotes.map((n) => ({ team: teamName(n.teamId), at: n.at, text: n.text })),
		// When they had each transmission on screen (ids only: the text is the author's).
		readReceipts: reads.map((r) => ({
			team: teamName(r.teamId),
			clientId: r.clientId,
			transmissionId: r.transmissionId,
			at: r.at
		})),
		accessTraces,
		pulseAnswered,
		calendarFeeds,
		coachCalls
	};
}
