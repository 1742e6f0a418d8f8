import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { config } from '$lib/server/config';
import { db } from '$lib/server/db';
import { devOutboxAllowed } from '$lib/server/mail/dev-outbox';
import { recent } from '$lib/server/mail/outbox';
import type { PageServerLoad } from './$types';

/** Without SMTP_URL, mail stays in the outbox table: this page shows it, on this machine only. */
export const load: PageServerLoad = async (event) => {
	const allowed = devOutboxAllowed({
		smtpUrl: config.smtpUrl,
		origin: config.origin,
		requestHost: event.url.hostname,
		clientAddress: event.getClientAddress()
	});
	if (!allowed) error(404, m.error_not_found());
	const mails = await recent(db);
	return {
		origin: config.origin,
		mails: mails.map((mail) => ({
			id: mail.id,
			to: mail.to,
			subject: mail.subject,
			text: mail.text,
			headers: mail.headers,
			createdAt: mail.createdAt.toISOString()
		}))
	};
};
