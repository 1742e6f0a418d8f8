import { error, fail } from '@sveltejs/kit';
import { parseForm, proposalSchema } from '$lib/domain/forms';
import { todayIn } from '$lib/domain/time-zone';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as meetings from '$lib/server/governance/meetings';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { addDays } from '$lib/domain/week';
import * as services from '$lib/server/services';
import { isId } from '$lib/domain/ids';

async function meetingOf(event: Pick<RequestEvent, 'locals' | 'params'>) {
	const team = memberTeam(event.locals);
	if (!isId(event.params.meetingId)) error(404, m.error_not_found());
	const meeting = await meetings.get(db, team.teamId, event.params.meetingId);
	if (meeting === null) error(404, m.error_not_found());
	return { ...team, meeting };
}

export const load: PageServerLoad = async (event) => {
	const { teamId, teamName, userId, meeting } = await meetingOf(event);
	const today = todayIn();
	// Decisions due for review by the meeting's day are on its agenda (once each).
	if (meeting.status !== 'closed')
		await meetings.bringReviews(db, services.collab(), { teamId, meetingId: meeting.id });
	const previous = (await meetings.past(db, teamId)).find((p) => p.heldOn < meeting.heldOn);
	const [members, taken, glance, changes] = await Promise.all([
		teams.members(db, teamId),
		meetings.decisionsOf(db, teamId, meeting.id),
		meeting.status === 'closed' ? null : meetings.glance(db, teamId, today),
		meeting.status === 'closed'
			? []
			: meetings.caseloadChanges(db, teamId, previous?.heldOn ?? addDays(today, -7))
	]);
	return {
		team: { id: teamId, name: teamName },
		me: userId,
		meeting: {
			id: meeting.id,
			heldOn: meeting.heldOn,
			status: meeting.status,
			facilitatorId: meeting.facilitatorId,
			noteTakerId: meeting.noteTakerId,
			minutes: meeting.minutes as import('$lib/domain/meeting').Minutes | null
		},
		members: members.map((p) => ({ id: p.userId, name: p.name })),
		decisions: taken,
		glance,
		changes,
		changesSince: previous?.heldOn ?? addDays(today, -7)
	};
};

const text = (form: FormData, name: string, max: number) => {
	const v = form.get(name);
	return typeof v === 'string' ? v.trim().slice(0, max) : '';
};

export const actions: Actions = {
	start: async (event) => {
		const { teamId, meeting } = await meetingOf(event);
		await meetings.start(db, services.meetingMirror(), { teamId, meetingId: meeting.id });
		return { action: 'start' as const };
	},

	roles: async (event) => {
		const { teamId, meeting } = await meetingOf(event);
		const form = await readForm(event.request);
		const ok = await meetings.setRoles(db, {
			teamId,
			meetingId: meeting.id,
			facilitatorId: text(form, 'facilitatorId', 64) || null,
			noteTakerId: text(form, 'noteTakerId', 64) || null
		});
		if (!ok) return fail(400, { action: 'roles' as const, refusal: 'invalid' as const });
		return { action: 'roles' as const };
	},

	propose: async (event) => {
		const { teamId, userId, meeting } = await meetingOf(event);
		const form = await readForm(event.request);
		form.set('mode', 'meeting');
		const parsed = parseForm(proposalSchema, form);
		if (!parsed.ok) return fail(400, { action: 'propose' as const, errors: parsed.errors });
		const { title, driver, text: proposal, area, reviewDate } = parsed.data;
		const agendaItemId = text(form, 'agendaItemId', 64);
		const d = await meetings.propose(db, services.decisionMirror(), services.collab(), {
			title,
			driver,
			text: proposal,
			area,
			reviewDate,
			teamId,
			proposerId: userId,
			meetingId: meeting.id,
			agendaItemId: /^[0-9a-f-]{36}$/.test(agendaItemId) ? agendaItemId : null
		});
		if (d === null) return fail(400, { action: 'propose' as const, refusal: 'not-open' as const });
		return { action: 'propose' as const, decisionId: d.id };
	},

	callCoach: async (event) => {
		const { teamId, userId, meeting } = await meetingOf(event);
		const note = text(await readForm(event.request), 'note', 500);
		if (note === '')
			return fail(400, { action: 'callCoach' as const, refusal: 'invalid' as const });
		await meetings.callCoach(db, { teamId, meetingId: meeting.id, by: userId, note });
		return { action: 'callCoach' as const, sent: true };
	},

	close: async (event) => {
		const { teamId, meeting } = await meetingOf(event);
		const result = await meetings.close(db, services.meetingMirror(), services.collab(), {
			teamId,
			meetingId: meeting.id,
			today: todayIn()
		});
		if (!result.ok) return fail(400, { action: 'close' as const, refusal: 'not-open' as const });
		return { action: 'close' as const };
	}
};
