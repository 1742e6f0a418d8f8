import { fail, redirect } from '@sveltejs/kit';
import { hoursToMinutes, memberProfileSchema, parseForm } from '$lib/domain/forms';
import { isPastSplitPoint } from '$lib/domain/team-size';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/form';
import * as invitations from '$lib/server/invitations';
import * as teams from '$lib/server/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName, userId } = memberTeam(locals);
	const [members, coaches, openInvitations] = await Promise.all([
		teams.members(db, teamId),
		teams.coaches(db, teamId),
		invitations.listOpen(db, teamId)
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		members,
		coaches,
		openInvitations,
		pastSplitPoint: isPastSplitPoint(members.length)
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

	leave: async ({ locals }) => {
		const { teamId, userId } = memberTeam(locals);
		await teams.leave(db, { teamId, userId });
		redirect(303, '/');
	}
};
