import { fail, redirect, type ActionFailure } from '@sveltejs/kit';
import { standardAsText, standardProposalSchema } from '$lib/domain/care-standard';
import { parseForm, type FieldErrors } from '$lib/domain/forms';
import { cardIdSchema } from '$lib/domain/kaizen';
import { m } from '$lib/paraglide/messages';
import { db } from '$lib/server/db';
import { readForm } from '$lib/server/http/form';
import * as services from '$lib/server/services';
import { whereToDecide } from '$lib/server/governance/decide-where';
import { proposeStandard } from './kaizen';
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
	const mirrors = { decision: services.decisionMirror(), advice: services.adviceMirror() };
	const proposal = {
		...input,
		content,
		decisionTitle: m.standard_decision_title({ title: content.title }).slice(0, 120),
		driver: why,
		text: standardAsText(content, {
			appliesWhen: m.standard_applies_when(),
			steps: m.standard_steps(),
			materials: m.standard_materials(),
			safety: m.standard_safety(),
			whoToCall: m.standard_who_to_call()
		}),
		reviewDate
	};
	// From a kaizen card: the team adopts its countermeasure as this standard, by consent only.
	const card = input.standardId === null ? cardIdSchema.safeParse(form.get('cardId')) : null;
	if (card?.success === true) {
		const out = await proposeStandard(db, mirrors, services.collab(), {
			...proposal,
			cardId: card.data,
			...(await whereToDecide(db, input.teamId))
		});
		if (!out.ok) return fail(400, { refusal: out.reason, values });
		redirect(303, `/teams/${input.teamId}/decisions/${out.decisionId}`);
	}
	const out = await standards.proposeVersion(db, mirrors, services.collab(), {
		...proposal,
		via,
		...(via === 'consent'
			? await whereToDecide(db, input.teamId)
			: { meetingId: null, deadline: null })
	});
	if (!out.ok) return fail(400, { refusal: out.reason, values });
	const where =
		via === 'advice' ? `decisions/advice/${out.decisionId}` : `decisions/${out.decisionId}`;
	redirect(303, `/teams/${input.teamId}/${where}`);
}
