import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, desc, eq, gte, isNull, lte } from 'drizzle-orm';
import { createEvents, type EventAttributes } from 'ics';
import { todayIn, wallClockToInstant } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import { calendarFeed, client, membership, rotaVisit } from '$lib/server/db/schema';
import { newId, randomToken } from '$lib/server/auth/random';
import { addDays } from '$lib/domain/week';

/** The feed covers the past week (for what just happened) and the coming four. */
const FEED_DAYS_BEFORE = 7;
const FEED_DAYS_AFTER = 28;

const hash = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
const TOKEN = /^[a-z2-7]{32}$/;

/** A new private feed for the member; any earlier one stops working. The token is shown once. */
export async function createFeed(
	db: Db,
	input: { userId: string; teamId: string; now?: Date }
): Promise<string> {
	const token = randomToken(20);
	await db.transaction(async (tx) => {
		await revoke(tx, input);
		await tx.insert(calendarFeed).values({
			id: newId(),
			tokenHash: hash(token),
			userId: input.userId,
			teamId: input.teamId,
			createdAt: input.now ?? new Date()
		});
	});
	return token;
}

export async function revoke(
	db: Db,
	input: { userId: string; teamId: string; now?: Date }
): Promise<void> {
	await db
		.update(calendarFeed)
		.set({ revokedAt: input.now ?? new Date() })
		.where(
			and(
				eq(calendarFeed.userId, input.userId),
				eq(calendarFeed.teamId, input.teamId),
				isNull(calendarFeed.revokedAt)
			)
		);
}

/** When the member's live feed was made, or null when there is none. */
export async function activeSince(db: Db, userId: string, teamId: string): Promise<Date | null> {
	const [row] = await db
		.select({ createdAt: calendarFeed.createdAt })
		.from(calendarFeed)
		.where(
			and(
				eq(calendarFeed.userId, userId),
				eq(calendarFeed.teamId, teamId),
				isNull(calendarFeed.revokedAt)
			)
		)
		.orderBy(desc(calendarFeed.createdAt))
		.limit(1);
	return row?.createdAt ?? null;
}

/** Whose feed a token opens: a live feed of someone still in the team; null otherwise. */
export async function ownerOf(
	db: Db,
	token: string
): Promise<{ userId: string; teamId: string } | null> {
	if (!TOKEN.test(token)) return null;
	const [row] = await db
		.select({ userId: calendarFeed.userId, teamId: calendarFeed.teamId })
		.from(calendarFeed)
		.innerJoin(
			membership,
			and(eq(membership.userId, calendarFeed.userId), eq(membership.teamId, calendarFeed.teamId))
		)
		.where(and(eq(calendarFeed.tokenHash, hash(token)), isNull(calendarFeed.revokedAt)))
		.limit(1);
	return row ?? null;
}

/** Initials only ("Mme J. R."): the feed lands in phone calendars synced by third parties. */
function discreetName(name: string): string {
	const words = name
		.trim()
		.split(/\s+/)
		.filter((w) => w !== '');
	const title =
		words[0] !== undefined && /^(M\.|Mme|Mlle|Dr)$/i.test(words[0]) ? words.shift()! : null;
	const initials = words
		.map(
			(w) =>
				`${w
					.split('-')
					.map((part) => part.charAt(0).toUpperCase())
					.join('-')}.`
		)
		.join(' ');
	return [title, initials].filter((p) => p !== null && p !== '').join(' ');
}

/** The member's visits as iCalendar, from the read model. */
export async function render(
	db: Db,
	input: { userId: string; teamId: string; origin: string; now?: Date }
): Promise<string> {
	const today = todayIn(undefined, input.now);
	const rows = await db
		.select({
			id: rotaVisit.id,
			week: rotaVisit.week,
			date: rotaVisit.date,
			start: rotaVisit.start,
			minutes: rotaVisit.minutes,
			clientId: rotaVisit.clientId,
			clientName: client.name,
			sector: client.sector
		})
		.from(rotaVisit)
		.leftJoin(client, and(eq(client.teamId, rotaVisit.teamId), eq(client.id, rotaVisit.clientId)))
		.where(
			and(
				eq(rotaVisit.teamId, input.teamId),
				eq(rotaVisit.carerId, input.userId),
				gte(rotaVisit.date, addDays(today, -FEED_DAYS_BEFORE)),
				lte(rotaVisit.date, addDays(today, FEED_DAYS_AFTER))
			)
		)
		.orderBy(asc(rotaVisit.date), asc(rotaVisit.start));
	const events: EventAttributes[] = rows.map((row) => ({
		uid: `${row.id}@${input.teamId}.kring`,
		start: wallClockToInstant(row.date, row.start).getTime(),
		startInputType: 'utc',
		startOutputType: 'utc',
		duration: { minutes: row.minutes },
		title:
			row.clientName === null
				? 'Passage'
				: `Passage ${discreetName(row.clientName)}${row.sector ? ` · ${row.sector}` : ''}`,
		description: 'Fiche et transmissions dans Kring',
		url: `${input.origin}/teams/${input.teamId}/caseload/${row.clientId}`,
		classification: 'PRIVATE'
	}));
	const { error, value } = createEvents(events, { productId: 'kring/rota', calName: 'Kring' });
	if (error !== null || value === null) throw error ?? new Error('iCalendar could not be made');
	return value;
}
