import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { and, asc, desc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import { createEvents, type EventAttributes } from 'ics';
import { readWeek } from '$lib/collab/rota';
import { formatDocumentName } from '$lib/domain/documents';
import type { Shift, ShiftKind } from '$lib/domain/rota';
import { todayIn, wallClockToInstant } from '$lib/domain/time-zone';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import type { Db } from '$lib/server/db';
import { calendarFeed, client, meeting, membership, rotaVisit } from '$lib/server/db/schema';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/paraglide/runtime';
import { newId, randomToken } from '$lib/server/auth/random';
import { addDays, isoWeekOf, mondayOfDate, weekOf } from '$lib/domain/week';
import { discreetName } from '$lib/domain/discreet-name';

/** The feed covers the past week (for what just happened) and the coming four. */
const FEED_DAYS_BEFORE = 7;
const FEED_DAYS_AFTER = 28;

const hash = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
const TOKEN = /^[a-z2-7]{32}$/;

/** A new private feed for the member; any earlier one stops working. The token is shown once. */
export async function createFeed(
	db: Db,
	input: { userId: string; teamId: string; locale?: Locale; now?: Date }
): Promise<string> {
	const token = randomToken(20);
	await db.transaction(async (tx) => {
		await revoke(tx, input);
		await tx.insert(calendarFeed).values({
			id: newId(),
			tokenHash: hash(token),
			userId: input.userId,
			teamId: input.teamId,
			locale: input.locale ?? 'fr',
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

/** The member's live feed follows the language they now read Kring in. */
export async function followLanguage(
	db: Db,
	input: { userId: string; teamId: string; locale: Locale }
): Promise<void> {
	await db
		.update(calendarFeed)
		.set({ locale: input.locale })
		.where(
			and(
				eq(calendarFeed.userId, input.userId),
				eq(calendarFeed.teamId, input.teamId),
				isNull(calendarFeed.revokedAt)
			)
		);
}

/** Whose feed a token opens: a live feed of someone still in the team; null otherwise. */
export async function ownerOf(
	db: Db,
	token: string
): Promise<{ userId: string; teamId: string; locale: Locale } | null> {
	if (!TOKEN.test(token)) return null;
	const [row] = await db
		.select({
			userId: calendarFeed.userId,
			teamId: calendarFeed.teamId,
			locale: calendarFeed.locale
		})
		.from(calendarFeed)
		.innerJoin(
			membership,
			and(eq(membership.userId, calendarFeed.userId), eq(membership.teamId, calendarFeed.teamId))
		)
		.where(and(eq(calendarFeed.tokenHash, hash(token)), isNull(calendarFeed.revokedAt)))
		.limit(1);
	return row ?? null;
}

/**
 * The member's own shifts (office, training, meeting) between two dates: they are in the rota
 * weeks' documents only (the read model keeps visits), one document per week.
 */
async function shiftsOf(
	documents: DocumentReader,
	input: { userId: string; teamId: string; from: string; to: string }
): Promise<Shift[]> {
	const weeks: string[] = [];
	for (let monday = mondayOfDate(input.from); monday <= input.to; monday = addDays(monday, 7))
		weeks.push(formatDocumentName({ kind: 'rota', teamId: input.teamId, ...isoWeekOf(monday) }));
	const all = await Promise.all(weeks.map((name) => documents.read(name, readWeek)));
	return all
		.flatMap((week) => week.shifts)
		.filter((s) => s.memberId === input.userId && s.date >= input.from && s.date <= input.to)
		.sort((a, b) => a.date.localeCompare(b.date) || a.start - b.start);
}

const SHIFT_TITLE: Record<ShiftKind, (inputs: object, options: { locale: Locale }) => string> = {
	office: m.feed_shift_office,
	training: m.feed_shift_training,
	meeting: m.feed_shift_meeting
};

/**
 * The member's visits (from the read model), their shifts (from the rota documents) and the team's
 * meetings as iCalendar, in the member's language. Visits carry initials and sector only; shifts,
 * their kind and hours; meetings, the day and a link.
 */
export async function render(
	db: Db,
	documents: DocumentReader,
	input: { userId: string; teamId: string; origin: string; locale?: Locale; now?: Date }
): Promise<string> {
	const today = todayIn(undefined, input.now);
	const options = { locale: input.locale ?? 'fr' };
	const from = addDays(today, -FEED_DAYS_BEFORE);
	const to = addDays(today, FEED_DAYS_AFTER);
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
				gte(rotaVisit.date, from),
				lte(rotaVisit.date, to)
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
				? m.feed_visit({}, options)
				: m.feed_visit_of(
						{ client: `${discreetName(row.clientName)}${row.sector ? ` · ${row.sector}` : ''}` },
						options
					),
		description: m.feed_description({}, options),
		url: `${input.origin}/teams/${input.teamId}/caseload/${row.clientId}`,
		classification: 'PRIVATE'
	}));
	for (const shift of await shiftsOf(documents, { ...input, from, to })) {
		events.push({
			uid: `shift-${shift.id}@${input.teamId}.kring`,
			start: wallClockToInstant(shift.date, shift.start).getTime(),
			startInputType: 'utc',
			startOutputType: 'utc',
			duration: { minutes: shift.minutes },
			title: SHIFT_TITLE[shift.kind]({}, options),
			url: `${input.origin}/teams/${input.teamId}/rota/${weekOf(shift.date)}`,
			classification: 'PRIVATE'
		});
	}
	const meetings = await db
		.select({ id: meeting.id, heldOn: meeting.heldOn })
		.from(meeting)
		.where(
			and(
				eq(meeting.teamId, input.teamId),
				inArray(meeting.status, ['planned', 'open']),
				gte(meeting.heldOn, from),
				lte(meeting.heldOn, to)
			)
		)
		.orderBy(asc(meeting.heldOn));
	for (const row of meetings) {
		const [y, mo, d] = row.heldOn.split('-').map(Number) as [number, number, number];
		const [y2, mo2, d2] = addDays(row.heldOn, 1).split('-').map(Number) as [number, number, number];
		events.push({
			uid: `meeting-${row.id}@${input.teamId}.kring`,
			// The meeting's hour is the team's own (not kept): a whole-day event on its day.
			start: [y, mo, d],
			end: [y2, mo2, d2],
			title: m.feed_meeting({}, options),
			description: m.feed_meeting_description({}, options),
			url: `${input.origin}/teams/${input.teamId}/meetings/${row.id}`,
			classification: 'PRIVATE'
		});
	}
	const { error, value } = createEvents(events, { productId: 'kring/rota', calName: 'Kring' });
	if (error !== null || value === null) throw error ?? new Error('iCalendar could not be made');
	return value;
}
