import path from 'node:path';
import { z } from 'zod';

const HOUR_MS = 60 * 60 * 1000;

/** An empty variable counts as unset, as in most .env conventions. */
const optional = <T extends z.ZodType>(inner: T) =>
	z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), inner);

const schema = z.object({
	DATABASE_URL: optional(z.string().trim().url().optional()),
	KRING_DATA_DIR: optional(z.string().trim().default('data')),
	KRING_SESSION_IDLE_HOURS: optional(z.coerce.number().positive().max(720).default(12)),
	KRING_SEED: optional(z.enum(['auto', 'never']).default('auto')),
	KRING_DEADLINE_TICK_SECONDS: optional(z.coerce.number().int().min(1).max(86_400).default(60)),
	PORT: optional(z.coerce.number().int().min(1).max(65535).default(3000)),
	ORIGIN: optional(z.string().trim().url().optional()),
	SMTP_URL: optional(
		z
			.string()
			.trim()
			.url()
			.refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://')
			.optional()
	),
	MAIL_FROM: optional(z.string().trim().min(3).optional()),
	// A VAPID key pair as web-push makes it (base64url, 65- and 32-byte keys), and its contact.
	VAPID_PUBLIC_KEY: optional(
		z
			.string()
			.trim()
			.regex(/^[A-Za-z0-9_-]{87}$/, 'must be a base64url P-256 public key (87 characters)')
			.optional()
	),
	VAPID_PRIVATE_KEY: optional(
		z
			.string()
			.trim()
			.regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url P-256 private key (43 characters)')
			.optional()
	),
	VAPID_SUBJECT: optional(
		z
			.string()
			.trim()
			.regex(/^(mailto:|https:\/\/)\S+$/, 'must start with mailto: or https://')
			.optional()
	)
});

export interface Config {
	/** postgres.js connection string, or null for the embedded PGlite database. */
	databaseUrl: string | null;
	/** Folder of the embedded database (only used without DATABASE_URL). */
	dataDir: string;
	sessionIdleMs: number;
	/** 'auto' seeds the demo organisation into an empty database at start. */
	seed: 'auto' | 'never';
	/** How often the timer closes rounds whose deadline passed. */
	deadlineTickMs: number;
	/** The public address, for links in e-mails (ORIGIN, else http://localhost:$PORT). */
	origin: string;
	/** nodemailer's SMTP URL, or null: mail then stays in the outbox table (see /dev/outbox). */
	smtpUrl: string | null;
	/** The From of every e-mail. */
	mailFrom: string;
	/** A configured VAPID key pair, or null: one is made at first start and kept in the database. */
	vapidKeys: { publicKey: string; privateKey: string } | null;
	/** Who push services may contact about this server (VAPID `sub`), or null: derived from ORIGIN. */
	vapidSubject: string | null;
}

/** Reads and validates the environment once; a bad value stops the start with a clear message. */
function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const parsed = schema.safeParse(env);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`);
	}
	const c = parsed.data;
	if ((c.VAPID_PUBLIC_KEY === undefined) !== (c.VAPID_PRIVATE_KEY === undefined))
		throw new Error(
			'Invalid configuration:\n  VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both or neither'
		);
	const origin = new URL(c.ORIGIN ?? `http://localhost:${c.PORT}`);
	return {
		databaseUrl: c.DATABASE_URL ?? null,
		dataDir: path.resolve(c.KRING_DATA_DIR),
		sessionIdleMs: c.KRING_SESSION_IDLE_HOURS * HOUR_MS,
		seed: c.KRING_SEED,
		deadlineTickMs: c.KRING_DEADLINE_TICK_SECONDS * 1000,
		origin: origin.origin,
		smtpUrl: c.SMTP_URL ?? null,
		mailFrom: c.MAIL_FROM ?? `Kring <no-reply@${origin.hostname}>`,
		vapidKeys:
			c.VAPID_PUBLIC_KEY !== undefined && c.VAPID_PRIVATE_KEY !== undefined
				? { publicKey: c.VAPID_PUBLIC_KEY, privateKey: c.VAPID_PRIVATE_KEY }
				: null,
		vapidSubject: c.VAPID_SUBJECT ?? null
	};
}

export const config: Config = readConfig();
