import { fail, redirect } from '@sveltejs/kit';
import { hoursToMinutes, memberProfileSchema, parseForm } from '$lib/domain/forms';
import { isPastSplitPoint } from '$lib/domain/team-size';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as invitations from '$lib/server/teams/invitations';
import * as teams from '$lib/server/teams/teams';
import * as decisions from '$lib/server/governance/decisions';
import * as meetings from '$lib/server/governance/meetings';
import * as teamChanges from '$lib/server/governance/team-changes';
import { sectorsOf } from '$lib/server/governance/team-change-effects';
import { parseTeamChange } from '$lib/domain/team-change-form';
import { changeSummary, changeTitle } from '$lib/i18n/team-change';
import { todayIn } from '$lib/domain/time-zone';
import type { Actions, PageServerLoad } from './$types';
import { DAY_MS } from '$lib/domain/week';
import * as services from '$lib/server/services';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const today = todayIn();
	const [members, coaches, openInvitations, changes, reminders, nextMeeting] = await Promise.all([
		teams.members(db, teamId),
		teams.coaches(db, teamId),
		invitations.listOpen(db, teamId),
		teamChanges.pending(db, teamId),
		decisions.reminders(db, { teamId, userId, today }),
		meetings.next(db, teamId, today)
	]);
	const pastSplitPoint = isPastSplitPoint(members.length);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		members,
		coaches,
		openInvitations,
		changes,
		reminders,
		nextMeeting: { id: nextMeeting.id, heldOn: nextMeeting.heldOn, status: nextMeeting.status },
		pastSplitPoint,
		// What a split would divide: only asked for once the team is past the split point.
		sectors: pastSplitPoint ? await sectorsOf(db, teamId) : []
	};
};

export const actions: Actions = {
	invite: async ({ locals, request, url }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const kind = form.get('kind');
		if (kind !== 'member' && kind !== 'coach') return fail(400, { action: 'invite' as const });
		const { token, expiresAt } = await invitations.create(db, { teamId, kind, createdBy: userId });
		return {
			action: 'invite' as const,
			kind: kind as 'member' | 'coach',
			link: `${url.origin}/invite/${token}`,
			expiresAt: expiresAt.toISOString()
		};
	},

	revoke: async ({ locals, request }) => {
		const { teamId } = memberTeam(locals);
		const form = await readForm(request);
		const invitationId = form.get('invitationId');
		if (typeof invitationId !== 'string' || invitationId.length > 64) {
			return fail(400, { action: 'revoke' as const });
		}
		await invitations.revoke(db, { teamId, invitationId });
		return { action: 'revoke' as const };
	},

	profile: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const parsed = parseForm(memberProfileSchema, form);
		if (!parsed.ok) return fail(400, { action: 'profile' as const, errors: parsed.errors });
		await teams.updateProfile(db, {
			teamId,
			userId,
			profession: parsed.data.profession,
			contractMinutes: hoursToMinutes(parsed.data.contractHours),
			employment: parsed.data.employment
		});
		return { action: 'profile' as const, done: true };
	},

	/** A change to the team itself is a decision of the team: proposed here, decided by consent. */
	proposeChange: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const parsed = parseTeamChange(await readForm(request));
		if (!parsed.ok) return fail(400, { action: 'change' as const, refusal: parsed.reason });
		const [members, coaches] = await Promise.all([
			teams.members(db, teamId),
			teams.coaches(db, teamId)
		]);
		const nameOf = (id: string) =>
			[...members, ...coaches].find((p) => p.userId === id)?.name ?? '?';
		const c = parsed.change;
		const title = changeTitle(c, nameOf);
		const now = new Date();
		const result = await teamChanges.propose(db, services.decisionMirror(), {
			teamId,
			proposerId: userId,
			title,
			driver: parsed.driver,
			// A split says in its text who goes and which sectors go with them.
			text: c.kind === 'split' ? changeSummary(c, nameOf, 'fr') : title,
			reviewDate: todayIn(undefined, new Date(now.getTime() + 180 * DAY_MS)),
			mode: 'async',
			deadline: await teamChanges.asyncDeadline(db, teamId, now),
			change: c,
			now
		});
		if (!result.ok) return fail(400, { action: 'change' as const, refusal: result.reason });
		redirect(303, `/teams/${teamId}/decisions/${result.decision.id}`);
	},

	leave: async ({ locals }) => {
		const { teamId, userId } = memberTeam(locals);
		await teams.leave(db, { teamId, userId });
		redirect(303, '/');
	}
};
