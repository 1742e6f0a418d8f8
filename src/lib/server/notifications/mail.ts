import type { NotificationEvent } from '$lib/domain/notifications';
import { notificationText } from '$lib/i18n/notifications';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import { render, type Block } from '$lib/server/mail/html';
import { inLocale, localeOf } from '$lib/server/mail/locale';
import type { Mail } from '$lib/server/mail/outbox';
import { unsubscribeHeaders, type UnsubscribeScope } from './unsubscribe';

export interface Recipient {
	id: string;
	email: string;
	name: string;
	locale: string | null;
}

export type Notice = NotificationEvent & { link: string };

/**
 * A mail in the member's language with the RFC 8058 one-click unsubscribe for its scope. Its
 * words come from the notification's params only, which never hold client health data.
 */
async function compose(
	db: Db,
	origin: string,
	to: Recipient,
	scope: UnsubscribeScope,
	content: () => { subject: string; blocks: Block[] }
): Promise<Mail> {
	const locale = localeOf(to.locale);
	const unsubscribe = await unsubscribeHeaders(db, origin, to.id, scope);
	const { subject, blocks } = inLocale(locale, () => {
		const c = content();
		return {
			subject: c.subject,
			blocks: [
				{ text: m.mail_greeting({ name: to.name }) },
				...c.blocks,
				{ text: m.mail_footer({ link: `${origin}/account#notifications` }) },
				{ text: m.mail_unsubscribe_hint({ link: unsubscribe.link }) }
			]
		};
	});
	return {
		userId: to.id,
		to: to.email,
		subject,
		...render(blocks, locale),
		headers: {
			...unsubscribe.headers,
			'Content-Language': locale,
			'Auto-Submitted': 'auto-generated'
		}
	};
}

/** One notification, sent at once. */
export function noticeMail(db: Db, origin: string, to: Recipient, notice: Notice): Promise<Mail> {
	return compose(db, origin, to, notice.kind, () => {
		const text = notificationText(notice);
		return {
			subject: `Kring · ${text}`.slice(0, 180),
			blocks: [
				{ text },
				{ link: origin + notice.link, label: m.mail_open({ link: origin + notice.link }) }
			]
		};
	});
}

/** The day's digest: every notice not e-mailed yet, each with its link. */
export function digestMail(
	db: Db,
	origin: string,
	to: Recipient,
	notices: Notice[]
): Promise<Mail> {
	return compose(db, origin, to, 'digest', () => ({
		subject: m.mail_digest_subject({ count: notices.length }),
		blocks: [
			{ text: m.mail_digest_intro() },
			{ list: notices.map((n) => `${notificationText(n)} ${origin}${n.link}`) }
		]
	}));
}
