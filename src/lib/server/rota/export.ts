import { and, asc, eq } from 'drizzle-orm';
import { formatClock } from '$lib/domain/format';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages';
import { toCsv } from '$lib/server/http/csv';
import type { Db } from '$lib/server/db';
import { client, rotaVisit } from '$lib/server/db/schema';

/** One rota week as CSV (from the read model), a visit per row, in day and time order. */
export async function rotaCsv(
	db: Db,
	input: { teamId: string; week: string; people: Map<string, string> }
): Promise<string> {
	const rows = await db
		.select({
			date: rotaVisit.date,
			start: rotaVisit.start,
			minutes: rotaVisit.minutes,
			carerId: rotaVisit.carerId,
			qualification: rotaVisit.qualification,
			clientName: client.name,
			sector: client.sector
		})
		.from(rotaVisit)
		.leftJoin(client, and(eq(client.teamId, rotaVisit.teamId), eq(client.id, rotaVisit.clientId)))
		.where(and(eq(rotaVisit.teamId, input.teamId), eq(rotaVisit.week, input.week)))
		.orderBy(asc(rotaVisit.date), asc(rotaVisit.start));
	const language = getLocale();
	const qualification = {
		nurse: m.qualification_nurse(),
		care_aide: m.qualification_care_aide(),
		any: m.qualification_any()
	} as Record<string, string>;
	const header = [
		m.rota_csv_date(),
		m.rota_csv_start(),
		m.rota_csv_minutes(),
		m.field_client_name(),
		m.field_sector(),
		m.rota_csv_carer(),
		m.rota_csv_qualification()
	];
	const body = rows.map((r) => [
		r.date,
		formatClock(Math.floor(r.start / 60), r.start % 60, language),
		String(r.minutes),
		r.clientName ?? '',
		r.sector ?? '',
		r.carerId === null
			? m.rota_csv_unassigned()
			: (input.people.get(r.carerId) ?? m.caseload_former_member()),
		qualification[r.qualification] ?? r.qualification
	]);
	return toCsv(header, body);
}
