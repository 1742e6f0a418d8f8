import { and, count, eq, getTableColumns, gte, lte, sql } from 'drizzle-orm';
import { readWeek, type RotaWeek } from '$lib/collab/rota';
import type { RotaMember } from '$lib/domain/rota';
import type { PatternClient } from '$lib/domain/rota-plan';
import type { Absence, AbsenceKind } from '$lib/domain/absences';
import type { VisitSlot } from '$lib/domain/caseload';
import type { Db } from '$lib/server/db';
import { absence, client, rotaVisit, visitPattern } from '$lib/server/db/schema';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import * as teams from '$lib/server/teams/teams';
import { addDays, isoWeekOf } from '$lib/domain/week';
import { formatDocumentName } from '$lib/domain/documents';
import { lastVisitEnds } from '$lib/domain/day';
import { todayIn } from '$lib/domain/time-zone';

/** The team's absences (read model) that overlap the days `from` to `to`; notes are not kept there. */
export async function absencesBetween(
	db: Db,
	input: { teamId: string; from: string; to: string }
): Promise<Absence[]> {
	const rows = await db
		.select()
		.from(absence)
		.where(
			and(
				eq(absence.teamId, input.teamId),
				gte(absence.endsOn, input.from),
				lte(absence.startsOn, input.to)
			)
		);
	return rows.map((a) => ({
		id: a.id,
		memberId: a.memberId,
		kind: a.kind as AbsenceKind,
		from: a.startsOn,
		to: a.endsOn,
		note: '',
		startsAt: a.startsAt,
		endsAt: a.endsAt
	}));
}

/** A client's visit pattern (read model), slot by slot in order, as a column of the client's row. */
const patternOfClient = sql<unknown>`coalesce((select json_agg(json_build_object(
		'weekday', ${visitPattern.weekday}, 'start', ${visitPattern.start},
		'minutes', ${visitPattern.minutes}, 'qualification', ${visitPattern.qualification})
		order by ${visitPattern.position})
	from ${visitPattern}
	where ${visitPattern.teamId} = ${client.teamId} and ${visitPattern.clientId} = ${client.id}), '[]')`.mapWith(
	(value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value) as VisitSlot[]
);

/**
 * What the week grid needs besides its own document: the team, its clients and their patterns
 * (read model), absences, the week before (for rest rules), and who visited whom lately.
 */
export async function weekContext(
	db: Db,
	documents: DocumentReader,
	input: { teamId: string; monday: string }
) {
	const { teamId, monday } = input;
	const [people, clientRows, absences, recentRows, previous] = await Promise.all([
		teams.members(db, teamId),
		// Each client with its pattern, in one statement (this runs on every rota page).
		db
			.select({ ...getTableColumns(client), visitPattern: patternOfClient })
			.from(client)
			.where(eq(client.teamId, teamId)),
		absencesBetween(db, { teamId, from: addDays(monday, -7), to: addDays(monday, 13) }),
		db
			.select({ clientId: rotaVisit.clientId, carerId: rotaVisit.carerId, n: count() })
			.from(rotaVisit)
			.where(
				and(
					eq(rotaVisit.teamId, teamId),
					gte(rotaVisit.date, addDays(monday, -28)),
					lte(rotaVisit.date, addDays(monday, -1))
				)
			)
			.groupBy(rotaVisit.clientId, rotaVisit.carerId),
		documents.read(
			formatDocumentName({ kind: 'rota', teamId, ...isoWeekOf(addDays(monday, -7)) }),
			readWeek
		)
	]);
	const members: RotaMember[] = people.map((p) => ({
		id: p.userId,
		name: p.name,
		profession: p.profession,
		employment: p.employment,
		contractMinutes: p.contractMinutes
	}));
	const clients: PatternClient[] = clientRows
		.map((c) => ({
			id: c.id,
			name: c.name,
			sector: c.sector,
			primaryCarerId: c.primaryCarerId,
			nurseOnly: c.nurseOnly,
			twoCarers: c.twoCarers,
			refusedCarerIds: c.refusedCarerIds,
			active: c.status === 'active',
			visitPattern: c.visitPattern
		}))
		.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	const recent: [string, [string, number][]][] = [];
	const byClient = new Map<string, [string, number][]>();
	for (const r of recentRows) {
		if (r.carerId === null) continue;
		byClient.set(r.clientId, [...(byClient.get(r.clientId) ?? []), [r.carerId, r.n]]);
	}
	for (const entry of byClient) recent.push(entry);
	const prev: RotaWeek = previous;
	return {
		members,
		clients,
		absences,
		previous: { visits: prev.visits, shifts: prev.shifts },
		recent
	};
}

/**
 * When the member's visits to each client last ended, from the read model (the last 60 days), as
 * `[clientId, ms since the epoch]`: the "last visit" of the day's "new since your last visit".
 */
export async function lastVisitsOf(
	db: Db,
	input: { teamId: string; userId: string; now?: Date }
): Promise<[string, number][]> {
	const now = input.now ?? new Date();
	const today = todayIn(undefined, now);
	const rows = await db
		.select({
			id: rotaVisit.id,
			clientId: rotaVisit.clientId,
			date: rotaVisit.date,
			start: rotaVisit.start,
			minutes: rotaVisit.minutes
		})
		.from(rotaVisit)
		.where(
			and(
				eq(rotaVisit.teamId, input.teamId),
				eq(rotaVisit.carerId, input.userId),
				gte(rotaVisit.date, addDays(today, -60)),
				lte(rotaVisit.date, today)
			)
		);
	const visits = rows.map((r) => ({
		...r,
		carerId: input.userId,
		qualification: 'any' as const,
		changedAt: null
	}));
	return [...lastVisitEnds(visits, input.userId, now)];
}
