import { inArray, sql } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import { notificationPreference } from '$lib/server/db/schema';
import {
	defaultPreference,
	NOTIFICATION_KINDS,
	type NotificationKind,
	type Preference
} from '$lib/domain/notifications';

/** Every kind's preference for each user, stored or default. */
export async function preferencesOf(
	db: Db,
	userIds: string[]
): Promise<Map<string, Map<NotificationKind, Preference>>> {
	const rows =
		userIds.length === 0
			? []
			: await db
					.select()
					.from(notificationPreference)
					.where(inArray(notificationPreference.userId, userIds));
	const result = new Map<string, Map<NotificationKind, Preference>>();
	for (const userId of userIds) {
		result.set(userId, new Map(NOTIFICATION_KINDS.map((k) => [k, defaultPreference(k)])));
	}
	for (const row of rows) {
		result.get(row.userId)?.set(row.kind, { email: row.email, push: row.push });
	}
	return result;
}

export async function preferencesFor(
	db: Db,
	userId: string
): Promise<Map<NotificationKind, Preference>> {
	return (await preferencesOf(db, [userId])).get(userId)!;
}

/** Stores a member's choices (all kinds given, or some). */
export async function savePreferences(
	db: Db,
	userId: string,
	choices: Map<NotificationKind, Preference>
): Promise<void> {
	if (choices.size === 0) return;
	await db
		.insert(notificationPreference)
		.values([...choices].map(([kind, p]) => ({ userId, kind, email: p.email, push: p.push })))
		.onConflictDoUpdate({
			target: [notificationPreference.userId, notificationPreference.kind],
			set: {
				email: sql`excluded.email`,
				push: sql`excluded.push`
			}
		});
}

/** Turns e-mail off for some kinds, keeping their push choice. */
export async function stopEmail(db: Db, userId: string, kinds: NotificationKind[]): Promise<void> {
	const current = await preferencesFor(db, userId);
	await savePreferences(
		db,
		userId,
		new Map(kinds.map((k) => [k, { email: 'off' as const, push: current.get(k)!.push }]))
	);
}
