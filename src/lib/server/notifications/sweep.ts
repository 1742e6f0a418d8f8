import { and, eq, inArray, lte } from 'drizzle-orm';
import { waitingFor } from '$lib/domain/advice';
import { evaluate, toRemind, undecided } from '$lib/domain/consent';
import { waitingOn } from '$lib/domain/election';
import { ROLE_TEMPLATE_KEYS, type RoleTemplateKey } from '$lib/domain/roles';
import { todayIn } from '$lib/domain/time-zone';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '$lib/server/db';
import { adviceProcess, decision, election, membership, role } from '$lib/server/db/schema';
import { notify } from './notify';

/**
 * Turns what the team page's "À faire" shows into notifications, with the same rules (consent's
 * `evaluate`, `undecided` and `toRemind`, advice's `waitingFor`, the election's `waitingOn`, the
 * review date): a round waiting on a member, an async deadline within 24 hours, a decision due for
 * review. Each has a key, so running the sweep again notifies nobody twice. Run by the timer
 * (jobs.ts) every few minutes; also callable after a change, for one team.
 */
export async function sweepReminders(
	db: Db,
	now = new Date(),
	teamIds?: string[]
): Promise<number> {
	const inTeams = (t: { teamId: AnyPgColumn }) =>
		teamIds === undefined ? undefined : inArray(t.teamId, teamIds);
	const today = todayIn(undefined, now);
	const [rounds, reviews, advice, elections, members] = await Promise.all([
		db
			.select({ teamId: decision.teamId, state: decision.state })
			.from(decision)
			.where(and(eq(decision.stage, 'round'), inTeams(decision))),
		db
			.select({
				teamId: decision.teamId,
				id: decision.id,
				title: decision.title,
				reviewDate: decision.reviewDate
			})
			.from(decision)
			.where(
				and(eq(decision.stage, 'adopted'), lte(decision.reviewDate, today), inTeams(decision))
			),
		db
			.select({ teamId: adviceProcess.teamId, state: adviceProcess.state })
			.from(adviceProcess)
			.where(and(eq(adviceProcess.stage, 'asking'), inTeams(adviceProcess))),
		db
			.select({
				teamId: election.teamId,
				state: election.state,
				roleName: role.name,
				templateKey: role.templateKey
			})
			.from(election)
			.innerJoin(role, eq(role.id, election.roleId))
			.where(and(inArray(election.stage, ['nominations', 'consent']), inTeams(election))),
		db
			.select({ teamId: membership.teamId, userId: membership.userId })
			.from(membership)
			.where(inTeams(membership))
	]);
	const teamMembers = (teamId: string) =>
		members.filter((m) => m.teamId === teamId).map((m) => m.userId);

	let sent = 0;
	for (const { teamId, state } of rounds) {
		const current = evaluate(state, now);
		if (current.stage !== 'round') continue;
		const link = `/teams/${teamId}/decisions/${current.id}`;
		const version = current.versions.length;
		sent += await notify(
			db,
			{
				teamId,
				recipients: undecided(current),
				kind: 'round_waiting',
				params: { round: 'consent', title: clip(current.title) },
				link,
				key: `round:${current.id}:${version}`
			},
			now
		);
		if (current.deadline !== null) {
			sent += await notify(
				db,
				{
					teamId,
					recipients: toRemind(current, now),
					kind: 'deadline_soon',
					params: { title: clip(current.title), deadline: current.deadline },
					link,
					key: `deadline:${current.id}:${current.deadline}`
				},
				now
			);
		}
	}
	for (const d of reviews) {
		sent += await notify(
			db,
			{
				teamId: d.teamId,
				recipients: teamMembers(d.teamId),
				kind: 'review_due',
				params: { title: clip(d.title), reviewDate: d.reviewDate },
				link: `/teams/${d.teamId}/decisions/${d.id}`,
				key: `review:${d.id}:${d.reviewDate}`
			},
			now
		);
	}
	for (const { teamId, state } of advice) {
		sent += await notify(
			db,
			{
				teamId,
				recipients: waitingFor(state),
				kind: 'round_waiting',
				params: { round: 'advice', title: clip(state.title) },
				link: `/teams/${teamId}/decisions/advice/${state.id}`,
				key: `advice:${state.id}`
			},
			now
		);
	}
	for (const { teamId, state, roleName, templateKey } of elections) {
		sent += await notify(
			db,
			{
				teamId,
				recipients: waitingOn(state),
				kind: 'round_waiting',
				params: {
					round: 'election',
					title: clip(roleName),
					...(isRoleTemplate(templateKey) ? { roleTemplate: templateKey } : {})
				},
				link: `/teams/${teamId}/elections/${state.id}`,
				key: `election:${state.id}:${state.stage}:${state.proposed ?? ''}:${state.history.length}`
			},
			now
		);
	}
	return sent;
}

function isRoleTemplate(key: string | null): key is RoleTemplateKey {
	return (ROLE_TEMPLATE_KEYS as readonly (string | null)[]).includes(key);
}

/** Titles are short by their forms' rules; a notification keeps at most 200 characters anyway. */
function clip(title: string): string {
	return title.length <= 200 ? title : `${title.slice(0, 199)}…`;
}
