/**
 * Care standards ("bien faire le geste"): the team's library of care procedures. Each standard is
 * a list of versions; a version is proposed with a decision (consent, or the advice process) and
 * becomes the current one when that decision is adopted. Earlier versions stay as its history.
 * Pure: the content's shape and limits, and which version is current.
 */
import { z } from 'zod';
import { isCleanLine, isCleanText } from './text';

export const STANDARD_LIMITS = {
	title: 120,
	appliesWhen: 1000,
	/** Steps, materials and safety points: lines of a list. */
	items: 30,
	item: 500,
	whoToCall: 1000
} as const;

const oneLine = (max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.max(max, { error: 'too_long' })
		.refine(isCleanLine, { error: 'invalid' });
const block = (max: number) =>
	z
		.string({ error: 'required' })
		.trim()
		.max(max, { error: 'too_long' })
		.refine(isCleanText, { error: 'invalid' });

/** A list typed one item a line: blank lines dropped, each line and the count bounded. */
const list = z
	.string({ error: 'required' })
	.max(STANDARD_LIMITS.items * (STANDARD_LIMITS.item + 2), { error: 'too_long' })
	.refine(isCleanText, { error: 'invalid' })
	.transform((s) =>
		s
			.split(/\r?\n/)
			.map((l) => l.trim())
			.filter((l) => l !== '')
	)
	.pipe(
		z
			.array(z.string().max(STANDARD_LIMITS.item, { error: 'too_long' }))
			.max(STANDARD_LIMITS.items, { error: 'too_long' })
	);

/** What a version says, as typed in the form (lists one item a line). */
export const standardFormSchema = z.object({
	title: oneLine(STANDARD_LIMITS.title).min(1, { error: 'required' }),
	appliesWhen: block(STANDARD_LIMITS.appliesWhen).min(1, { error: 'required' }),
	steps: list.refine((l) => l.length > 0, { error: 'required' }),
	materials: list,
	safety: list,
	whoToCall: block(STANDARD_LIMITS.whoToCall)
});
export type StandardContent = z.infer<typeof standardFormSchema>;

/** The same content as stored (jsonb): checked again when read, never trusted blindly. */
export const standardContentSchema = z.object({
	title: z.string().min(1).max(STANDARD_LIMITS.title),
	appliesWhen: z.string().max(STANDARD_LIMITS.appliesWhen),
	steps: z.array(z.string().max(STANDARD_LIMITS.item)).max(STANDARD_LIMITS.items),
	materials: z.array(z.string().max(STANDARD_LIMITS.item)).max(STANDARD_LIMITS.items),
	safety: z.array(z.string().max(STANDARD_LIMITS.item)).max(STANDARD_LIMITS.items),
	whoToCall: z.string().max(STANDARD_LIMITS.whoToCall)
});

/** How a version's decision stands: its stage, and when it closed. */
export type VersionDecision =
	| { kind: 'consent'; stage: string; closedAt: string | null }
	| { kind: 'advice'; stage: string; closedAt: string | null };

export type VersionStatus = 'current' | 'earlier' | 'proposed' | 'not-adopted';

/** A version's decision adopted it: a consent decision adopted, or an advice process decided. */
function isAdopted(d: VersionDecision): boolean {
	return d.kind === 'consent' ? d.stage === 'adopted' : d.stage === 'decided';
}

function isOpen(d: VersionDecision): boolean {
	return d.kind === 'consent'
		? ['questions', 'reactions', 'round'].includes(d.stage)
		: d.stage === 'asking';
}

/**
 * Each version's status. The current version is the one whose decision was adopted last (ties: the
 * higher number); earlier adopted ones are history; open ones are proposed; withdrawn, lapsed or
 * decided against are kept as not adopted.
 */
export function versionStatuses<T extends { number: number; decision: VersionDecision }>(
	versions: readonly T[]
): Map<number, VersionStatus> {
	const adopted = versions
		.filter((v) => isAdopted(v.decision))
		.sort(
			(a, b) =>
				(b.decision.closedAt ?? '').localeCompare(a.decision.closedAt ?? '') || b.number - a.number
		);
	const current = adopted[0]?.number ?? null;
	const out = new Map<number, VersionStatus>();
	for (const v of versions) {
		if (v.number === current) out.set(v.number, 'current');
		else if (isAdopted(v.decision)) out.set(v.number, 'earlier');
		else if (isOpen(v.decision)) out.set(v.number, 'proposed');
		else out.set(v.number, 'not-adopted');
	}
	return out;
}

/** The list fields as the form shows them: one item a line. */
export function asLines(items: readonly string[]): string {
	return items.join('\n');
}

/** A proposed version with what its decision needs: why, when it is reviewed, and how decided. */
export const standardProposalSchema = standardFormSchema.extend({
	why: block(2000).min(1, { error: 'required' }),
	reviewDate: z
		.string({ error: 'required' })
		.trim()
		.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'invalid' })
		.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'invalid' }),
	via: z.enum(['consent', 'advice'], { error: 'invalid' })
});

/** The decision's text: the version as it would read, so those who consent see what they adopt. */
export function standardAsText(
	c: StandardContent,
	labels: {
		appliesWhen: string;
		steps: string;
		materials: string;
		safety: string;
		whoToCall: string;
	}
): string {
	const list = (items: readonly string[]) => items.map((item, i) => `${i + 1}. ${item}`).join('\n');
	return [
		`${labels.appliesWhen}\n${c.appliesWhen}`,
		`${labels.steps}\n${list(c.steps)}`,
		c.materials.length > 0 ? `${labels.materials}\n${list(c.materials)}` : '',
		c.safety.length > 0 ? `${labels.safety}\n${list(c.safety)}` : '',
		c.whoToCall !== '' ? `${labels.whoToCall}\n${c.whoToCall}` : ''
	]
		.filter((s) => s !== '')
		.join('\n\n')
		.slice(0, 4000);
}
