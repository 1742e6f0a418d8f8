import { and, eq } from 'drizzle-orm';
import webpush from 'web-push';
import type { PushPayload } from '$lib/domain/notifications';
import { config } from '$lib/server/config';
import { notificationText } from '$lib/i18n/notifications';
import type { Db } from '$lib/server/db';
import { pushSubscription, user } from '$lib/server/db/schema';
import { inLocale, localeOf } from '$lib/server/mail/locale';
import { serverSecretValue } from '$lib/server/mail/secrets';
import type { Notice } from './mail';

export interface VapidConfig {
	publicKey: string;
	privateKey: string;
	subject: string;
}

/**
 * The VAPID key pair that identifies this server to push services: the configured one
 * (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY), else one made at first start and kept in `server_secret`,
 * so every instance and restart signs alike. The subject is VAPID_SUBJECT when set.
 */
export async function vapid(db: Db, subject: string): Promise<VapidConfig> {
	const chosen = config.vapidSubject ?? subject;
	if (config.vapidKeys !== null) return { ...config.vapidKeys, subject: chosen };
	const stored = await serverSecretValue(db, 'vapid', () =>
		JSON.stringify(webpush.generateVAPIDKeys())
	);
	const keys = JSON.parse(stored) as { publicKey: string; privateKey: string };
	return { ...keys, subject: chosen };
}

export async function subscribe(
	db: Db,
	userId: string,
	sub: { endpoint: string; keys: { p256dh: string; auth: string } }
): Promise<void> {
	await db
		.insert(pushSubscription)
		.values({ userId, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth })
		.onConflictDoUpdate({
			target: pushSubscription.endpoint,
			set: { userId, p256dh: sub.keys.p256dh, auth: sub.keys.auth }
		});
}

export async function unsubscribe(db: Db, userId: string, endpoint: string): Promise<void> {
	await db
		.delete(pushSubscription)
		.where(and(eq(pushSubscription.userId, userId), eq(pushSubscription.endpoint, endpoint)));
}

/**
 * Pushes a notice to every device of the member, encrypted for each (RFC 8291, aes128gcm) by
 * web-push. A subscription the push service says is gone (404, 410) is removed; other failures
 * are logged and dropped (push is a nudge: the bell and the e-mail keep the notice).
 */
export async function pushToUser(
	db: Db,
	origin: string,
	userId: string,
	notice: Notice
): Promise<{ sent: number; removed: number }> {
	const [who] = await db.select({ locale: user.locale }).from(user).where(eq(user.id, userId));
	const devices = await db
		.select()
		.from(pushSubscription)
		.where(eq(pushSubscription.userId, userId));
	if (who === undefined || devices.length === 0) return { sent: 0, removed: 0 };
	const keys = await vapid(db, origin.startsWith('https:') ? origin : 'mailto:no-reply@localhost');
	const payload: PushPayload = {
		title: 'Kring',
		body: inLocale(localeOf(who.locale), () => notificationText(notice)),
		link: notice.link
	};
	let sent = 0;
	let removed = 0;
	for (const device of devices) {
		try {
			await webpush.sendNotification(
				{ endpoint: device.endpoint, keys: { p256dh: device.p256dh, auth: device.auth } },
				JSON.stringify(payload),
				{
					vapidDetails: keys,
					TTL: 6 * 3600,
					contentEncoding: 'aes128gcm',
					urgency: 'high'
				}
			);
			sent++;
		} catch (error) {
			const status = (error as { statusCode?: number }).statusCode;
			if (status === 404 || status === 410) {
				await db.delete(pushSubscription).where(eq(pushSubscription.endpoint, device.endpoint));
				removed++;
			} else {
				console.error('[push] sending failed:', status ?? error);
			}
		}
	}
	return { sent, removed };
}
