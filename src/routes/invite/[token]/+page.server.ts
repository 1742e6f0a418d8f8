import { error, fail, redirect } from '@sveltejs/kit';
import {
	hoursToMinutes,
	memberProfileSchema,
	parseForm,
	type FieldErrors
} from '$lib/domain/forms';
import { m } from '$lib/paraglide/messages';
import { admissionProposal, coachAccessProposal } from '$lib/i18n/team-change';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import * as invitations from '$lib/server/teams/invitations';
import * as teamRules from '$lib/server/governance/rules';
import * as teamChanges from '$lib/server/governance/team-changes';
import type { Actions, PageServerLoad } from './$types';
import * as services from '$lib/server/services';

export const load: PageServerLoad = async ({ params, locals }) => {
	const invitation = await invitations.inspect(db, params.token);
	if (invitation === null) error(404, m.error_not_found());
	if (invitation.status !== 'open')
		return { invitation: { status: invitation.status }, signedIn: locals.user !== null };
	return {
		invitation: {
			status: invitation.status,
			kind: invitation.kind,
			teamName: invitation.teamName,
			invitedBy: invitation.invitedBy,
			expiresAt: invitation.expiresAt,
			// The team's rule: a member joins on accepting, or once the team consents.
			joining: (await teamRules.current(db, invitation.teamId)).joining
		},
		signedIn: locals.user !== null
	};
};

const noErrors: FieldErrors<'profession' | 'contractHours'> = {};
type Refusal = 'invalid' | 'already-member' | 'already-coach' | 'profile-missing';

interface JoinForm {
	profession: string;
	contractHours: string;
	errors: FieldErrors<'profession' | 'contractHours'>;
	reason: Refusal | null;
}
const answer = (form: JoinForm): JoinForm => form;

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const values = {
			profession: echo(form, 'profession', 20),
			contractHours: echo(form, 'contractHours', 5)
		};
		const invitation = await invitations.inspect(db, event.params.token);
		if (invitation === null || invitation.status !== 'open') {
			return fail(400, answer({ ...values, errors: noErrors, reason: 'invalid' }));
		}
		let profile = null;
		if (invitation.kind === 'member') {
			const parsed = parseForm(memberProfileSchema, form);
			if (!parsed.ok) return fail(400, answer({ ...values, errors: parsed.errors, reason: null }));
			profile = {
				profession: parsed.data.profession,
				contractMinutes: hoursToMinutes(parsed.data.contractHours)
			};
		}
		const result = await invitations.accept(db, {
			token: event.params.token,
			userId: user.id,
			profile
		});
		if (!result.ok)
			return fail(400, answer({ ...values, errors: noErrors, reason: result.reason }));
		if (result.waiting !== null) {
			// The team's rule asks for its consent to each arrival: the invitee waits for it.
			await teamChanges.proposeAdmission(db, services.decisionMirror(), {
				teamId: result.teamId,
				invitedBy: result.invitedBy,
				invitee: { userId: user.id, name: user.name, ...result.waiting },
				...admissionProposal(user.name)
			});
			return { waiting: true as const, teamName: invitation.teamName };
		}
		if (result.kind === 'coach') {
			// The team decides whether the coach gets access; the record is in the team's language.
			await teamChanges.proposeCoachAccess(db, services.decisionMirror(), {
				teamId: result.teamId,
				coachId: user.id,
				invitedBy: result.invitedBy,
				...coachAccessProposal(user.name)
			});
		}
		redirect(303, result.kind === 'member' ? `/teams/${result.teamId}` : '/');
	}
};
