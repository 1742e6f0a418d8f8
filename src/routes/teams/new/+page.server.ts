import { fail, redirect } from '@sveltejs/kit';
import { hoursToMinutes, parseForm, teamCreateSchema, type FieldErrors } from '$lib/domain/forms';
import { requireUser } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import { echo, readForm } from '$lib/server/http/form';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	return {};
};

interface TeamForm {
	name: string;
	profession: string;
	contractHours: string;
	errors: FieldErrors<'name' | 'profession' | 'contractHours'>;
}
const answer = (form: TeamForm): TeamForm => form;

export const actions: Actions = {
	default: async (event) => {
		const user = requireUser(event);
		const form = await readForm(event.request);
		const values = {
			name: echo(form, 'name', 80),
			profession: echo(form, 'profession', 20),
			contractHours: echo(form, 'contractHours', 5)
		};
		// Profession and hours are optional here: the creator may fill them in later.
		if (!form.has('profession')) form.set('profession', 'nurse');
		if (!form.has('contractHours')) form.set('contractHours', '35');
		const parsed = parseForm(teamCreateSchema, form);
		if (!parsed.ok) return fail(400, answer({ ...values, errors: parsed.errors }));

		const teamId = await teams.create(db, {
			name: parsed.data.name,
			creatorId: user.id,
			profession: parsed.data.profession,
			contractMinutes: hoursToMinutes(parsed.data.contractHours)
		});
		redirect(303, `/teams/${teamId}`);
	}
};
