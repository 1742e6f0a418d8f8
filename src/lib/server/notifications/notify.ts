import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { isLocalLink, notificationSchema, type NotificationEvent } from '$lib/domain/notifications';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { indexableKey, storableRow } from '$lib/server/db/storable';
import { membership, notification, user } from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import { enqueue, wakeDelivery } from '$lib/server/mail/outbox';
import { noticeMail } from './mail';
import { preferencesOf } from './preferences';
import { pushToUser } from './push';

export type NotifyInput = NotificationEvent & {
	teamId: string;
	/** User ids; only current members of the team are notified. */
	recipients: string[];
	/** A path on this site, e.g. `/teams/<id>/decisions/<id>`. */
	link: string;
	/** The same key for the same member lands once (a reminder the next sweep finds again). */
	key?: string;
};

/**
 * Which of `keys` this team's notifications already used (so known events are not told again). Keys
 * are stored as `indexableKey` keeps them; the answer is in the caller's own keys.
 */
export async function knownKeys(
	db: Db,
	teamId: string,
	keys: readonly string[]
): Promise<Set<string>> {
	if (keys.length === 0) return new Set();
	const asStored = new Map(keys.map((k) => [indexableKey(k), k]));
	const rows = await db
		.selectDistinct({ key: notification.key })
		.from(notification)
		.where(and(eq(notification.teamId, teamId), inArray(notification.key, [...asStored.keys()])));
	return new Set(rows.map((r) => asStored.get(r.key!)!));
}

/**
 * The one way to tell members something: stores one notification each (the bell), e-mails it at
 * once to those who want this kind immediately (queued in the outbox, sent by the delivery loop,
 * never blocking the caller) and pushes it to the devices of those who asked. Returns how many were new.
 * Throws on a kind, params or link that do not fit `notificationSchema`: a programming error.
 */
export async function notify(db: Db, input: NotifyInput, now = new Date()): Promise<number> {
	const event = notificationSchema.parse({ kind: input.kind, params: input.params });
	if (!isLocalLink(input.link)) throw new Error(`notify: not a local link: ${input.link}`);
	const ids = [...new Set(input.recipients)];
	if (ids.length === 0) return 0;
	const members = await db
		.select({ id: user.id, email: user.email, name: user.name, locale: user.locale })
		.from(membership)
		.innerJoin(user, eq(user.id, membership.userId))
		.where(and(eq(membership.teamId, input.teamId), inArray(membership.userId, ids)));
	if (members.length === 0) return 0;
	const inserted = await db
		.insert(notification)
		.values(
			// Params and keys carry what members wrote in the documents (a client's initials, a
			// visit's id): as Postgres can hold them, or one odd visit would silence the week's notices.
			members.map((r) =>
				storableRow({
					id: newId(),
					userId: r.id,
					teamId: input.teamId,
					kind: event.kind,
					params: event.params,
					link: input.link,
					key: input.key === undefined ? null : indexableKey(input.key),
					createdAt: now
				})
			)
		)
		.onConflictDoNothing()
		.returning({ id: notification.id, userId: notification.userId });
	if (inserted.length === 0) return 0;

	const byId = new Map(members.map((r) => [r.id, r]));
	const preferences = await preferencesOf(
		db,
		inserted.map((n) => n.userId)
	);
	const notice = { ...event, link: input.link };
	const mailed: string[] = [];
	const mails = [];
	for (const n of inserted) {
		const preference = preferences.get(n.userId)!.get(event.kind)!;
		if (preference.email === 'immediate') {
			mails.push(await noticeMail(db, config.origin, byId.get(n.userId)!, notice));
			mailed.push(n.id);
		}
		if (preference.push) {
			// Not awaited: a slow push service must not hold up the caller.
			void pushToUser(db, config.origin, n.userId, notice).catch((error: unknown) =>
				console.error('[push] failed:', error)
			);
		}
	}
	if (mails.length > 0) {
		await enqueue(db, mails, now);
		await db.update(notification).set({ emailedAt: now }).where(inArray(notification.id, mailed));
		wakeDelivery();
	}
	return inserted.length;
}

/** A member's notifications, newest first, from the teams they are still in. */
export async function list(db: Db, userId: string, limit = 100) {
	const rows = await db
		.select({
			id: notification.id,
			teamId: notification.teamId,
			kind: notification.kind,
			params: notification.params,
			link: notification.link,
			createdAt: notification.createdAt,
			readAt: notification.readAt
		})
		.from(notification)
		.innerJoin(
			membership,
			and(eq(membership.teamId, notification.teamId), eq(membership.userId, notification.userId))
		)
		.where(eq(notification.userId, userId))
		.orderBy(desc(notification.createdAt), desc(notification.id))
		.limit(limit);
	// A row written by an older version that no longer parses is left out, never shown raw.
	return rows.flatMap((r) => {
		const parsed = notificationSchema.safeParse({ kind: r.kind, params: r.params });
		return parsed.success ? [{ ...r, ...parsed.data }] : [];
	});
}

/** What the bell shows. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
	const [row] = await db
		.select({ n: count() })
		.from(notification)
		.innerJoin(
			membership,
			and(eq(membership.teamId, notification.teamId), eq(membership.userId, notification.userId))
		)
		.where(and(eq(notification.userId, userId), isNull(notification.readAt)));
	return row?.n ?? 0;
}

/** Marks one notification (or, without an id, all) of this user as read; others' are untouched. */
export async function markRead(
	db: Db,
	userId: string,
	notificationId: string | null,
	now = new Date()
): Promise<void> {
	await db
		.update(notification)
		.set({ readAt: now })
		.where(
			and(
				eq(notification.userId, userId),
				isNull(notification.readAt),
				notificationId === null ? undefined : eq(notification.id, notificationId)
			)
		);
}
