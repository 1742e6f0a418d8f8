import { z } from 'zod';
import { isCleanLine } from './text';
import { REVIEW_OUTCOMES } from './consent';
import { isId } from './ids';
import { PROFESSIONS } from './profession';

/**
 * Form schemas shared by pages and actions. Issues carry a code (never a sentence): the page
 * turns codes into words in the reader's language.
 */
export type FieldErrorCode =
	| 'required'
	| 'too_long'
	| 'email_invalid'
	| 'password_too_short'
	| 'password_too_long'
	| 'passwords_differ'
	| 'profession_invalid'
	| 'hours_invalid'
	| 'invalid';

export const LIMITS = {
	name: 100,
	teamName: 80,
	email: 254,
	passwordMin: 12,
	// argon2 cost grows with input; a cap keeps a huge "password" from being a denial of service.
	passwordMax: 256,
	contractHoursMax: 48
} as const;

/** A text field: missing counts as empty, anything that is not text (a file) as invalid. */
const text = () =>
	z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'invalid') });

const required = (max: number) =>
	text()
		.trim()
		.min(1, { error: 'required' })
		.max(max, { error: 'too_long' })
		.refine(isCleanLine, { error: 'invalid' });

const email = text()
	.trim()
	.toLowerCase()
	.min(1, { error: 'required' })
	.max(LIMITS.email, { error: 'too_long' })
	.pipe(z.email({ error: 'email_invalid' }));

const newPassword = text()
	.min(LIMITS.passwordMin, { error: 'password_too_short' })
	.max(LIMITS.passwordMax, { error: 'password_too_long' });

const anyPassword = text()
	.min(1, { error: 'required' })
	.max(LIMITS.passwordMax, { error: 'password_too_long' });

const profession = z.enum(PROFESSIONS, { error: 'profession_invalid' });

const contractHours = text()
	.trim()
	.min(1, { error: 'required' })
	.max(5, { error: 'hours_invalid' })
	.transform((s) => Number(s.replace(',', '.')))
	.pipe(
		z
			.number({ error: 'hours_invalid' })
			.finite({ error: 'hours_invalid' })
			.min(0, { error: 'hours_invalid' })
			.max(LIMITS.contractHoursMax, { error: 'hours_invalid' })
			.multipleOf(0.5, { error: 'hours_invalid' })
	);

export const signupSchema = z.object({
	name: required(LIMITS.name),
	email,
	password: newPassword
});

export const loginSchema = z.object({ email, password: anyPassword });

export const passwordChangeSchema = z
	.object({
		currentPassword: anyPassword,
		newPassword,
		confirmPassword: text()
	})
	.refine((v) => v.newPassword === v.confirmPassword, {
		error: 'passwords_differ',
		path: ['confirmPassword']
	});

export const confirmPasswordSchema = z.object({ password: anyPassword });

/** "Mot de passe oublié ?": the account's address. */
export const resetRequestSchema = z.object({ email });

/** The new password chosen through a reset link, by the same rules as at sign-up. */
export const resetPasswordSchema = z
	.object({ newPassword, confirmPassword: text() })
	.refine((v) => v.newPassword === v.confirmPassword, {
		error: 'passwords_differ',
		path: ['confirmPassword']
	});

/** Salaried members are bound by the branch agreement's rest rules; self-employed nurses are not. */
const EMPLOYMENTS = ['salaried', 'self_employed'] as const;
export type Employment = (typeof EMPLOYMENTS)[number];

export const memberProfileSchema = z.object({
	profession,
	contractHours,
	// Optional: forms made before it existed leave it as it is.
	employment: z.enum(EMPLOYMENTS, { error: 'invalid' }).optional()
});

export const teamCreateSchema = memberProfileSchema.extend({ name: required(LIMITS.teamName) });

export const profileSchema = z.object({ name: required(LIMITS.name) });

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = text()
	.trim()
	.regex(DAY, { error: 'invalid' })
	.refine((s) => !Number.isNaN(Date.parse(s)), { error: 'invalid' });

/** A proposal for a decision by consent. `deadline` (a local date-time) is needed between meetings. */
export const proposalSchema = z
	.object({
		title: required(120),
		driver: required(2000),
		text: required(4000),
		area: z.enum(['caseload', 'rota', 'team', 'roles', 'other'], { error: 'invalid' }),
		reviewDate: day,
		mode: z.enum(['meeting', 'async'], { error: 'invalid' }),
		deadline: text()
			.trim()
			.optional()
			.transform((s) => (s === undefined || s === '' ? null : s)),
		/** The decision this one takes up (a review: keep, amend or end it). */
		refersTo: text()
			.trim()
			.refine((s) => s === '' || isId(s), { error: 'invalid' })
			.optional()
			.transform((s) => (s === undefined || s === '' ? null : s)),
		review: z.enum(REVIEW_OUTCOMES, { error: 'invalid' }).optional()
	})
	.refine((v) => v.review === undefined || v.refersTo !== null, {
		error: 'invalid',
		path: ['review']
	})
	.refine(
		(v) =>
			v.mode === 'meeting' ||
			(v.deadline !== null && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v.deadline)),
		{
			error: 'required',
			path: ['deadline']
		}
	);

export type FieldErrors<K extends string> = Partial<Record<K, FieldErrorCode>>;

export type FormResult<T> =
	{ ok: true; data: T } | { ok: false; errors: FieldErrors<Extract<keyof T, string>> };

const KNOWN_CODES = new Set<string>([
	'required',
	'too_long',
	'email_invalid',
	'password_too_short',
	'password_too_long',
	'passwords_differ',
	'profession_invalid',
	'hours_invalid',
	'invalid'
]);

/**
 * Validates a submitted form. Only string fields are read: a file where text was expected is
 * reported as invalid. The first issue of each field wins.
 */
export function parseForm<S extends z.ZodType<Record<string, unknown>>>(
	schema: S,
	form: FormData
): FormResult<z.output<S>> {
	const raw: Record<string, unknown> = {};
	for (const [key, value] of form.entries()) {
		if (key in raw) continue; // a repeated field counts once
		raw[key] = typeof value === 'string' ? value : null;
	}
	const result = schema.safeParse(raw);
	if (result.success) return { ok: true, data: result.data };
	const errors: Record<string, FieldErrorCode> = {};
	for (const issue of result.error.issues) {
		const field = String(issue.path[0] ?? 'form');
		if (field in errors) continue;
		errors[field] = KNOWN_CODES.has(issue.message) ? (issue.message as FieldErrorCode) : 'invalid';
	}
	return { ok: false, errors: errors as FieldErrors<Extract<keyof z.output<S>, string>> };
}

/** Minutes from contracted hours (35 → 2100); hours are validated in half-hour steps. */
export function hoursToMinutes(hours: number): number {
	return Math.round(hours * 60);
}
