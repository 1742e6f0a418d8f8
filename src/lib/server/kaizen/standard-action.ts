import { fail, redirect, type ActionFailure } from '@sveltejs/kit';
import { standardAsText, standardProposalSchema } from '$lib/domain/care-standard';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as services from '$lib/server/services';
import { whereToDecide } from '$lib/server/governance/decide-where';
import * as standards from './standards';

type Failure = ActionFailure<{
	errors?: FieldErrors<string>;
	refusal?: string;
	values?: Record<string, string>;
}>;

/**
 * The form action shared by the new-standard page and a standard's page: checks the form, proposes
 * the version with its decision (in the reader's language), and opens that decision.
 */
export async function proposeFromForm(
	request: Request,
	input: { teamId: string; userId: string; standardId: string | null }
): Promise<Failure> {
	const form = await readForm(request);
	const values: Record<string, string> = {};
	for (const key of ['title', 'appliesWhen', 'steps', 'materials', 'safety', 'whoToCall', 'why'])
		values[key] = String(form.get(key) ?? '').slice(0, 20_000);
	const parsed = parseForm(standardProposalSchema, form);
	if (!parsed.ok) return fail(400, { errors: parsed.errors, values });
	const { why, reviewDate, via, ...content } = parsed.data;
	const out = await standards.proposeVersion(
		db,
		{ decision: services.decisionMirror(), advice: services.adviceMirror() },
		services.collab(),
		{
			...input,
			content,
			via,
			decisionTitle: m.standard_decision_title({ title: content.title }).slice(0, 120),
			driver: why,
			text: standardAsText(content, {
				appliesWhen: m.standard_applies_when(),
				steps: m.standard_steps(),
				materials: m.standard_materials(),
				safety: m.standard_safety(),
				whoToCall: m.standard_who_to_call()
			}),
			reviewDate,
			...(via === 'consent'
				? await whereToDecide(db, input.teamId)
				: { meetingId: null, deadline: null })
		}
	);
	if (!out.ok) return fail(400, { refusal: out.reason, values });
	const where =
		via === 'advice' ? `decisions/advice/${out.decisionId}` : `decisions/${out.decisionId}`;
	redirect(303, `/teams/${input.teamId}/${where}`);
}
