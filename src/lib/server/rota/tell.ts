import { and, desc, eq, gte, inArray, lte } from 'drizzle-orm';
import { noticeInitials } from '$lib/domain/discreet-name';
import type { Visit } from '$lib/domain/rota';
import { takeable } from '$lib/domain/rota-swap';
import { todayIn, wallClockToInstant } from '$lib/domain/time-zone';
import { addDays, weekOf } from '$lib/domain/week';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import type { Db } from '$lib/server/db';
import { indexableKey } from '$lib/server/db/storable';
import { client, collabChange, rotaTake, rotaVisit } from '$lib/server/db/schema';
import { knownKeys, notify } from '$lib/server/notifications/notify';
import * as teams from '$lib/server/teams/teams';
import { candidatesFor } from './candidates';

/**
 * Where someone must be told. Each function is called once, at the one place the event happens,
 * after it is stored, and turns it into `notify` calls (src/lib/server/notifications/notify.ts).
 * None of them throws: a failure to tell is logged and never fails the change that caused it.
 * Params carry a client's initials and sector at most, never health data.
 */

/** Runs `work`, logging instead of throwing: telling must never fail the caller. */
async function safely(what: string, work: () => Promise<unknown>): Promise<void> {
	try {
		await work();
	} catch (error) {
		console.error(`[notify] ${what} failed:`, error);
	}
}

const clock = (minutes: number) =>
	`${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const rotaLink = (teamId: string, week: string) => `/teams/${teamId}/rota/${week}`;

/** A name as the params take it (short text). */
const shortName = (name: string | undefined) => (name ?? '').trim().slice(0, 200) || '?';

type VisitLike = Pick<Visit, 'id' | 'clientId' | 'date' | 'start'>;

/**
 * What a notice says of a visit: day, time, the client's initials and sector. Ids read from a
 * document meet the read model's through `indexableKey`, as everywhere in this file (storable.ts).
 */
async function visitParams(db: Db, teamId: string, visits: readonly VisitLike[]) {
	const ids = [...new Set(visits.map((v) => indexableKey(v.clientId)))];
	const rows =
		ids.length === 0
			? []
			: await db
					.select({ id: client.id, name: client.name, sector: client.sector })
					.from(client)
					.where(and(eq(client.teamId, teamId), inArray(client.id, ids)));
	const byId = new Map(rows.map((r) => [r.id, r]));
	return (visit: VisitLike) => {
		const row = byId.get(indexableKey(visit.clientId));
		const sector = row?.sector?.trim().slice(0, 60);
		return {
			date: visit.date,
			start: clock(visit.start),
			clientInitials: noticeInitials(row?.name),
			...(sector ? { sector } : {})
		};
	};
}

async function namesOf(db: Db, teamId: string) {
	const members = await teams.members(db, teamId);
	return {
		ids: members.map((m) => m.userId),
		name: new Map(members.map((m) => [m.userId, m.name]))
	};
}

/**
 * A member is off sick from now (said by themselves, or recorded by `recordedBy` for a colleague
 * who phoned in). Their teammates learn it (`colleague_sick`, when there are visits to cover), each
 * visit to cover goes to the colleagues who could take it (`swap_available`), and a member whose
 * sick call a colleague recorded learns which of their visits were taken off them.
 */
export async function tellColleagueSick(
	db: Db,
	event: {
		teamId: string;
		memberId: string;
		recordedBy: string;
		/** Per visit to cover (as the week now holds it), the members who could take it. */
		toCover: { week: string; visit: Visit; candidates: string[] }[];
		now: Date;
	}
): Promise<void> {
	await safely('colleague_sick', async () => {
		const { teamId, toCover, now } = event;
		if (toCover.length === 0) return;
		const people = await namesOf(db, teamId);
		const colleague = shortName(people.name.get(event.memberId));
		const paramsOf = await visitParams(
			db,
			teamId,
			toCover.map((c) => c.visit)
		);
		await notify(
			db,
			{
				teamId,
				recipients: people.ids.filter((id) => id !== event.memberId),
				kind: 'colleague_sick',
				params: { colleague, visits: toCover.length },
				link: rotaLink(teamId, toCover[0]?.week ?? weekOf(todayIn(undefined, now)))
			},
			now
		);
		for (const { week, visit, candidates } of toCover) {
			const since = visit.cover?.at ?? now.toISOString();
			await notify(
				db,
				{
					teamId,
					recipients: candidates.filter((id) => id !== event.memberId),
					kind: 'swap_available',
					params: { ...paramsOf(visit), offeredBy: colleague },
					link: rotaLink(teamId, week),
					key: `cover:${visit.id}:${since}`
				},
				now
			);
			if (event.recordedBy !== event.memberId)
				await notify(
					db,
					{
						teamId,
						recipients: [event.memberId],
						kind: 'own_visit_changed',
						params: { ...paramsOf(visit), change: 'removed' },
						link: rotaLink(teamId, week),
						key: `own:${visit.id}:cover:${since}`
					},
					now
				);
		}
	});
}

/**
 * An offered or to-cover visit was taken (`swap_taken`): the member who offered it, or whose visit
 * it was before they fell sick, is told who took it.
 */
export async function tellSwapTaken(
	db: Db,
	event: {
		teamId: string;
		week: string;
		/** The visit as it was when taken. */
		visit: Visit;
		/** Who offered it, or whose it was. */
		offeredBy: string;
		takenBy: string;
		now?: Date;
	}
): Promise<void> {
	await safely('swap_taken', async () => {
		if (event.offeredBy === event.takenBy) return;
		const people = await namesOf(db, event.teamId);
		const paramsOf = await visitParams(db, event.teamId, [event.visit]);
		await notify(
			db,
			{
				teamId: event.teamId,
				recipients: [event.offeredBy],
				kind: 'swap_taken',
				params: { ...paramsOf(event.visit), takenBy: shortName(people.name.get(event.takenBy)) },
				link: rotaLink(event.teamId, event.week)
			},
			event.now
		);
	});
}

/** How long one visit's change to one member counts as one notice (a drag, then a fix-up). */
const DEBOUNCE_MS = 15 * 60_000;

type RotaRow = Pick<
	typeof rotaVisit.$inferSelect,
	'id' | 'clientId' | 'carerId' | 'date' | 'start'
>;

/**
 * A rota week's read model was rewritten (src/lib/server/collab/projections.ts): compares the rows
 * before with the week now, and tells
 * - the colleagues who could take a visit newly offered by its carer (`swap_available`, once per offer);
 * - a member whose own visit someone else added, moved or removed inside the 7-day notice window
 *   (`own_visit_changed`). Who wrote is read from the change index (`collab_change`, last writer of
 *   `visits/<id>`): a member's own edit tells nobody. A sick call's visits to cover and a taken
 *   visit are told by their own hooks above, not here. One notice per visit, member and kind of
 *   change per 15 minutes (the notification key), so dragging a visit around does not spam.
 * A first projection of a week (nothing before: a new or rebuilt week) tells nothing.
 */
export async function tellRotaChanged(
	db: Db,
	documents: DocumentReader,
	event: {
		teamId: string;
		week: string;
		docName: string;
		before: readonly RotaRow[];
		after: readonly Visit[];
		now?: Date;
	}
): Promise<void> {
	const now = event.now ?? new Date();
	await safely('swap_available (offer)', () => tellOffers(db, documents, event, now));
	await safely('own_visit_changed', () => tellOwnChanges(db, event, now));
}

async function tellOffers(
	db: Db,
	documents: DocumentReader,
	event: { teamId: string; week: string; after: readonly Visit[] },
	now: Date
) {
	const today = todayIn(undefined, now);
	const offered = event.after.filter(
		(v) => v.offer && v.carerId !== null && takeable(v) === 'offered' && v.date >= today
	);
	if (offered.length === 0) return;
	const keyOf = (v: Visit) => `offer:${v.id}:${v.offer!.at}`;
	const known = await knownKeys(db, event.teamId, offered.map(keyOf));
	const fresh = offered.filter((v) => !known.has(keyOf(v)));
	if (fresh.length === 0) return;
	const found = await candidatesFor(db, documents, {
		teamId: event.teamId,
		week: event.week,
		visitIds: fresh.map((v) => v.id),
		now
	});
	const people = await namesOf(db, event.teamId);
	const paramsOf = await visitParams(db, event.teamId, fresh);
	for (const v of fresh) {
		const candidates = (found.get(v.id)?.candidates ?? []).filter((id) => id !== v.offer!.by);
		await notify(
			db,
			{
				teamId: event.teamId,
				recipients: candidates,
				kind: 'swap_available',
				params: { ...paramsOf(v), offeredBy: shortName(people.name.get(v.offer!.by)) },
				link: rotaLink(event.teamId, event.week),
				key: keyOf(v)
			},
			now
		);
	}
}

async function tellOwnChanges(
	db: Db,
	event: {
		teamId: string;
		week: string;
		docName: string;
		before: readonly RotaRow[];
		after: readonly Visit[];
	},
	now: Date
) {
	if (event.before.length === 0) return;
	const today = todayIn(undefined, now);
	const horizon = addDays(today, 7);
	const inWindow = (date: string) => date >= today && date < horizon;
	const before = new Map(event.before.map((r) => [r.id, r]));
	const after = new Map(event.after.map((v) => [v.id, v]));
	const changes: {
		visit: VisitLike;
		memberId: string;
		change: 'added' | 'moved' | 'removed';
	}[] = [];
	for (const id of new Set([...before.keys(), ...after.keys()])) {
		const b = before.get(id);
		const a = after.get(id);
		// Put to cover by a sick call: told by tellColleagueSick.
		if (a?.cover) continue;
		if (b && a && b.carerId === a.carerId) {
			if (a.carerId !== null && (b.date !== a.date || b.start !== a.start))
				if (inWindow(a.date) || inWindow(b.date))
					changes.push({ visit: a, memberId: a.carerId, change: 'moved' });
			continue;
		}
		if (b?.carerId && inWindow(b.date))
			changes.push({ visit: b, memberId: b.carerId, change: 'removed' });
		if (a?.carerId && inWindow(a.date))
			changes.push({ visit: a, memberId: a.carerId, change: 'added' });
	}
	if (changes.length === 0) return;
	const ids = [...new Set(changes.map((c) => c.visit.id))];
	// The change index and the claims keep ids as Postgres can hold them: looked up as stored.
	const byEntry = new Map(ids.map((id) => [`visits/${indexableKey(id)}`, id]));
	const byStoredId = new Map(ids.map((id) => [indexableKey(id), id]));
	const [writers, takes] = await Promise.all([
		db
			.select({ entry: collabChange.entry, userId: collabChange.userId })
			.from(collabChange)
			.where(
				and(
					eq(collabChange.docName, event.docName),
					inArray(collabChange.entry, [...byEntry.keys()]),
					gte(collabChange.at, new Date(now.getTime() - DEBOUNCE_MS))
				)
			)
			.orderBy(desc(collabChange.at), desc(collabChange.seq)),
		db
			.select({ visitId: rotaTake.visitId, takerId: rotaTake.takerId })
			.from(rotaTake)
			.where(
				and(eq(rotaTake.teamId, event.teamId), inArray(rotaTake.visitId, [...byStoredId.keys()]))
			)
	]);
	const lastWriter = new Map<string, string | null>();
	for (const w of writers) {
		const id = byEntry.get(w.entry)!;
		if (!lastWriter.has(id)) lastWriter.set(id, w.userId);
	}
	const paramsOf = await visitParams(
		db,
		event.teamId,
		changes.map((c) => c.visit)
	);
	const bucket = Math.floor(now.getTime() / DEBOUNCE_MS);
	for (const c of changes) {
		// Their own edit.
		if (lastWriter.get(c.visit.id) === c.memberId) continue;
		// Taken in the swap flow: the taker took it, the one who offered it is told it was taken.
		const carer = after.get(c.visit.id)?.carerId;
		if (takes.some((t) => byStoredId.get(t.visitId) === c.visit.id && t.takerId === carer))
			continue;
		await notify(
			db,
			{
				teamId: event.teamId,
				recipients: [c.memberId],
				kind: 'own_visit_changed',
				params: { ...paramsOf(c.visit), change: c.change },
				link: rotaLink(event.teamId, weekOf(c.visit.date)),
				key: `own:${c.visit.id}:${c.change}:${bucket}`
			},
			now
		);
	}
}

/** How far back a transmission counts as new when the caseload is projected. */
const FRESH_MS = 60 * 60_000;

/**
 * New urgent transmissions in a team's caseload (src/lib/server/collab/projections.ts): the
 * members who visit that client in the next 48 hours are told (`urgent_transmission`), except its
 * author. Once per transmission (the key), so later projections of the caseload tell nothing again.
 */
export async function tellUrgentTransmissions(
	db: Db,
	event: {
		teamId: string;
		transmissions: readonly { clientId: string; id: string; at: string; authorId: string }[];
		now?: Date;
	}
): Promise<void> {
	await safely('urgent_transmission', async () => {
		const now = event.now ?? new Date();
		const recent = event.transmissions.filter((t) => now.getTime() - Date.parse(t.at) <= FRESH_MS);
		if (recent.length === 0) return;
		const keyOf = (t: { id: string }) => `urgent:${t.id}`;
		const known = await knownKeys(db, event.teamId, recent.map(keyOf));
		const fresh = recent.filter((t) => !known.has(keyOf(t)));
		if (fresh.length === 0) return;
		const today = todayIn(undefined, now);
		const visits = await db
			.select({
				id: rotaVisit.id,
				clientId: rotaVisit.clientId,
				carerId: rotaVisit.carerId,
				date: rotaVisit.date,
				start: rotaVisit.start,
				minutes: rotaVisit.minutes
			})
			.from(rotaVisit)
			.where(
				and(
					eq(rotaVisit.teamId, event.teamId),
					inArray(rotaVisit.clientId, [...new Set(fresh.map((t) => indexableKey(t.clientId)))]),
					gte(rotaVisit.date, addDays(today, -1)),
					lte(rotaVisit.date, addDays(today, 3))
				)
			);
		const until = now.getTime() + 48 * 3_600_000;
		const soon = visits
			.filter((v) => {
				if (v.carerId === null) return false;
				const starts = wallClockToInstant(v.date, v.start).getTime();
				return starts + v.minutes * 60_000 > now.getTime() && starts <= until;
			})
			.sort((x, y) => x.date.localeCompare(y.date) || x.start - y.start);
		const paramsOf = await visitParams(db, event.teamId, soon);
		for (const t of fresh) {
			// Each carer's next visit to this client: the day the notice names.
			const next = new Map<string, (typeof soon)[number]>();
			for (const v of soon)
				if (
					v.clientId === indexableKey(t.clientId) &&
					v.carerId !== t.authorId &&
					!next.has(v.carerId!)
				)
					next.set(v.carerId!, v);
			const byDay = new Map<string, { visit: (typeof soon)[number]; recipients: string[] }>();
			for (const [carerId, v] of next) {
				const group = byDay.get(v.date) ?? { visit: v, recipients: [] };
				group.recipients.push(carerId);
				byDay.set(v.date, group);
			}
			for (const { visit, recipients } of byDay.values()) {
				const { clientInitials, sector, date } = paramsOf(visit);
				await notify(
					db,
					{
						teamId: event.teamId,
						recipients,
						kind: 'urgent_transmission',
						params: { clientInitials, date, ...(sector ? { sector } : {}) },
						link: `/teams/${event.teamId}/caseload/${t.clientId}`,
						key: keyOf(t)
					},
					now
				);
			}
		}
	});
}
