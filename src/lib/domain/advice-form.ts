import { z } from 'zod';
import { AREAS } from './consent';
import { parseForm, type FieldErrorCode, type FormResult } from './forms';
import { ID_PATTERN } from './ids';
import { isCleanText } from './text';

/**
 * Forms of the advice process, shared by pages and actions (the pattern of forms.ts): issues carry
 * a code, never a sentence. Texts are trimmed and bounded; the state machine checks the rest.
 */
export const ADVICE_LIMITS = {
	title: 120,
	situation: 2000,
	intent: 4000,
	advice: 2000,
	decision: 4000,
	howShaped: 2000,
	/** More people asked than a team ever has is not a form a person filled in. */
	asked: 50
} as const;

const text = () =>
	z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'invalid') });

const required = (max: number) =>
	text()
		.trim()
		.min(1, { error: 'required' })
		.max(max, { error: 'too_long' })
		.refine(isCleanText, { error: 'invalid' });

const day = text()
	.trim()
	.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'invalid' })
	.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'invalid' });

const announceSchema = z.object({
	title: required(ADVICE_LIMITS.title),
	situation: required(ADVICE_LIMITS.situation),
	intent: required(ADVICE_LIMITS.intent),
	area: z.enum(AREAS, { error: 'invalid' }),
	reviewDate: day
});

export const adviseSchema = z.object({ text: required(ADVICE_LIMITS.advice) });

export const decideSchema = z.object({
	text: required(ADVICE_LIMITS.decision),
	howShaped: required(ADVICE_LIMITS.howShaped)
});

const people = z
	.array(z.string().regex(ID_PATTERN, { error: 'invalid' }), { error: 'invalid' })
	.max(ADVICE_LIMITS.asked, { error: 'invalid' });

export type AnnounceData = z.output<typeof announceSchema> & {
	affected: string[];
	experts: string[];
};

/**
 * The announcement form: its texts, and the members ticked as affected and as experts (repeated
 * fields, which `parseForm` would read once). At least one person must be asked.
 */
export function parseAnnounce(form: FormData): FormResult<AnnounceData> {
	const texts = parseForm(announceSchema, form);
	const errors: Partial<Record<keyof AnnounceData, FieldErrorCode>> = texts.ok
		? {}
		: { ...texts.errors };
	const lists = { affected: [] as string[], experts: [] as string[] };
	for (const name of ['affected', 'experts'] as const) {
		const values = form.getAll(name);
		const parsed = people.safeParse(values.map((v) => (typeof v === 'string' ? v : null)));
		if (parsed.success) lists[name] = [...new Set(parsed.data)];
		else errors[name] = 'invalid';
	}
	if (errors.affected === undefined && errors.experts === undefined)
		if (lists.affected.length === 0 && lists.experts.length === 0) errors.affected = 'required';
	if (!texts.ok || Object.keys(errors).length > 0) return { ok: false, errors };
	return { ok: true, data: { ...texts.data, ...lists } };
}
