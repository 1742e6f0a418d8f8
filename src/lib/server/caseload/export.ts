import { asc, eq } from 'drizzle-orm';
import * as Y from 'yjs';
import { carePlanOf, clientsOf, transmissionsOf } from '$lib/collab/caseload';
import { parseClientCard } from '$lib/domain/caseload';
import { formatClock, formatDuration } from '$lib/domain/format';
import { clientStatusLabel } from '$lib/i18n/format';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { toCsv } from '$lib/server/http/csv';
import type { Db } from '$lib/server/db';
import { client, visitPattern } from '$lib/server/db/schema';
import type { DocumentReader } from '$lib/server/collab/document-reader';
import * as accessLog from './access-log';
import { caseloadDoc } from './history';
import * as history from './history';

const dayShort = (weekday: number) =>
	[m.day_1, m.day_2, m.day_3, m.day_4, m.day_5, m.day_6, m.day_7][weekday - 1]!().slice(0, 3);

/**
 * The caseload as CSV, from the read model: `;`-separated with a byte-order mark, as French
 * spreadsheets open it. One row per client, the weekly pattern summarised in one cell.
 */
export async function caseloadCsv(
	db: Db,
	teamId: string,
	carers: Map<string, string>
): Promise<string> {
	const [clients, slots] = await Promise.all([
		db.select().from(client).where(eq(client.teamId, teamId)).orderBy(asc(client.name)),
		db
			.select()
			.from(visitPattern)
			.where(eq(visitPattern.teamId, teamId))
			.orderBy(asc(visitPattern.clientId), asc(visitPattern.position))
	]);
	const language = getLocale();
	const patternOf = new Map<string, typeof slots>();
	for (const slot of slots)
		patternOf.set(slot.clientId, [...(patternOf.get(slot.clientId) ?? []), slot]);
	const yes = m.export_yes();
	const no = m.export_no();
	const rows = clients.map((c) => {
		const pattern = patternOf.get(c.id) ?? [];
		const minutes = pattern.reduce((sum, s) => sum + s.minutes, 0);
		return [
			c.name,
			c.address,
			c.sector,
			clientStatusLabel(c.status as Parameters<typeof clientStatusLabel>[0]),
			c.statusSince ?? '',
			c.primaryCarerId === null ? '' : (carers.get(c.primaryCarerId) ?? m.caseload_former_member()),
			c.needs,
			pattern
				.map(
					(s) =>
						`${dayShort(s.weekday)} ${formatClock(Math.floor(s.start / 60), s.start % 60, language)} (${s.minutes} min)`
				)
				.join(', '),
			formatDuration(minutes, language),
			c.firstVisitDone ? yes : no,
			c.nurseOnly ? yes : no,
			c.twoCarers ? yes : no,
			c.problems.length > 0 ? m.caseload_card_problem() : ''
		];
	});
	const header = [
		m.field_client_name(),
		m.field_address(),
		m.field_sector(),
		m.caseload_status(),
		m.export_status_since(),
		m.field_primary_carer(),
		m.field_needs(),
		m.card_pattern(),
		m.export_weekly_hours(),
		m.export_first_visit_done(),
		m.export_nurse_only(),
		m.export_two_carers(),
		m.export_to_check()
	];
	return toCsv(header, rows);
}

/**
 * Everything Kring holds on one client (GDPR right of access): the card as stored, its care plan,
 * notes and liaison notebook, its history and who opened it. Null when there is no such card.
 */
export async function clientExport(
	db: Db,
	documents: DocumentReader,
	input: { teamId: string; clientId: string; people: Map<string, string> }
): Promise<Record<string, unknown> | null> {
	const { teamId, clientId, people } = input;
	const fromDoc = await documents.read(caseloadDoc(teamId), (doc) => {
		const card = clientsOf(doc).get(clientId);
		if (card === undefined) return null;
		const raw = card instanceof Y.Map ? card.toJSON() : card;
		return {
			card: parseClientCard(clientId, raw),
			carePlan: carePlanOf(doc, clientId)?.toString() ?? '',
			transmissions: transmissionsOf(doc, clientId)
		};
	});
	if (fromDoc === null) return null;
	const name = (id: string | null) =>
		id === null ? 'Kring' : (people.get(id) ?? m.caseload_former_member());
	const [lines, accesses] = await Promise.all([
		history.forClient(db, teamId, clientId),
		accessLog.forClient(db, teamId, clientId, 10_000)
	]);
	return {
		exportedAt: new Date().toISOString(),
		client: { ...fromDoc.card.card, carePlan: fromDoc.carePlan },
		problemsWithTheCard: fromDoc.card.problems,
		// An erased account's entries keep no author: the neutral label stands in.
		transmissions: fromDoc.transmissions.map((t) =>
			t.authorName === '' ? { ...t, authorName: m.caseload_former_member() } : t
		),
		history: lines.map((l) => ({
			by: name(l.userId),
			topic: l.topic,
			from: l.since.toISOString(),
			to: l.at.toISOString(),
			changes: l.changes
		})),
		accessLog: accesses.map((a) => ({ by: name(a.userId), at: a.at.toISOString() }))
	};
}
