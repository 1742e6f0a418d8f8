import { z } from 'zod';
import { ROLE_TEMPLATE_KEYS } from './roles';
import { safeNext } from './safe-next';

/**
 * What may reach a member who is not looking, as one validated union. Params hold what the
 * sentence needs and nothing more: names of colleagues, titles of decisions, dates, and for a
 * client at most their initials and sector (never a name, a need or a note), so a notification
 * can go by e-mail or push without health data.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const clock = z.string().regex(/^\d{2}:\d{2}$/);
const instant = z.iso.datetime({ offset: true });
const shortText = z.string().trim().min(1).max(200);
/** A client's initials only ("M. D."): letters, dots, spaces and hyphens, short. */
const initials = z
	.string()
	.trim()
	.min(1)
	.max(12)
	.regex(/^[\p{L}. -]+$/u);
const sector = z.string().trim().max(60);

const visit = { date: day, start: clock, clientInitials: initials, sector: sector.optional() };

export const notificationSchema = z.discriminatedUnion('kind', [
	z.object({
		kind: z.literal('swap_available'),
		params: z.strictObject({ ...visit, offeredBy: shortText })
	}),
	z.object({
		kind: z.literal('swap_taken'),
		params: z.strictObject({ ...visit, takenBy: shortText })
	}),
	z.object({
		kind: z.literal('own_visit_changed'),
		params: z.strictObject({ ...visit, change: z.enum(['added', 'moved', 'removed']) })
	}),
	z.object({
		kind: z.literal('round_waiting'),
		params: z.strictObject({
			round: z.enum(['consent', 'advice', 'election']),
			title: shortText,
			/** An election's role made from a template: its name is said in the reader's language. */
			roleTemplate: z.enum(ROLE_TEMPLATE_KEYS).optional()
		})
	}),
	z.object({
		kind: z.literal('deadline_soon'),
		params: z.strictObject({ title: shortText, deadline: instant })
	}),
	z.object({
		kind: z.literal('review_due'),
		params: z.strictObject({ title: shortText, reviewDate: day })
	}),
	z.object({
		kind: z.literal('urgent_transmission'),
		params: z.strictObject({ clientInitials: initials, sector: sector.optional(), date: day })
	}),
	z.object({
		kind: z.literal('colleague_sick'),
		params: z.strictObject({ colleague: shortText, visits: z.number().int().min(0).max(1000) })
	})
]);

export type NotificationEvent = z.infer<typeof notificationSchema>;
export type NotificationKind = NotificationEvent['kind'];

export const NOTIFICATION_KINDS = [
	'swap_available',
	'swap_taken',
	'own_visit_changed',
	'round_waiting',
	'deadline_soon',
	'review_due',
	'urgent_transmission',
	'colleague_sick'
] as const satisfies readonly NotificationKind[];

/** Kinds that cannot wait for tomorrow's digest: they are e-mailed (and pushed) at once by default. */
const URGENT: ReadonlySet<NotificationKind> = new Set([
	'swap_available',
	'own_visit_changed',
	'urgent_transmission',
	'colleague_sick',
	'deadline_soon'
]);

function isUrgent(kind: NotificationKind): boolean {
	return URGENT.has(kind);
}

export const EMAIL_MODES = ['immediate', 'digest', 'off'] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

export interface Preference {
	email: EmailMode;
	push: boolean;
}

/** Without a stored choice: urgent kinds by e-mail at once and by push, the rest in the digest. */
export function defaultPreference(kind: NotificationKind): Preference {
	return isUrgent(kind) ? { email: 'immediate', push: true } : { email: 'digest', push: false };
}

/** A link is a path on this site, exactly as `safeNext` would keep it. */
export function isLocalLink(link: string): boolean {
	return link.length <= 512 && safeNext(link) === link;
}

/** The preferences form: one e-mail choice and one push box per kind (`email_<kind>`, `push_<kind>`). */
export const preferencesSchema = z.object(
	Object.fromEntries(
		NOTIFICATION_KINDS.flatMap((kind) => [
			[`email_${kind}`, z.enum(EMAIL_MODES, { error: 'invalid' })],
			[
				`push_${kind}`,
				z
					.literal('on', { error: 'invalid' })
					.optional()
					.transform((v) => v === 'on')
			]
		])
	) as Record<`email_${NotificationKind}`, z.ZodType<EmailMode>> &
		Record<`push_${NotificationKind}`, z.ZodType<boolean>>
);

/** The form's values as one preference per kind. */
export function preferencesFromForm(
	values: Record<string, EmailMode | boolean>
): Map<NotificationKind, Preference> {
	return new Map(
		NOTIFICATION_KINDS.map((kind) => [
			kind,
			{ email: values[`email_${kind}`] as EmailMode, push: values[`push_${kind}`] === true }
		])
	);
}

const base64url = (bytes: number) =>
	z
		.string()
		.regex(/^[A-Za-z0-9_-]+={0,2}$/)
		.refine((v) => Math.floor((v.replace(/=+$/, '').length * 3) / 4) === bytes);

/** A browser's PushSubscription as `toJSON()` gives it: an https endpoint and its two keys. */
export const pushSubscriptionSchema = z.object({
	// Push services are https, and web-push sends only over https.
	endpoint: z.url({ protocol: /^https$/ }).max(2048),
	keys: z.object({ p256dh: base64url(65), auth: base64url(16) })
});

/** What a push message carries to the service worker (src/lib/sw/push.ts): words and a link. */
export interface PushPayload {
	title: string;
	body: string;
	link: string;
}
