import { and, eq, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type * as Y from 'yjs';
import { readCards, transmissionsOf } from '$lib/collab/caseload';
import { readWeek } from '$lib/collab/rota';
import { readAbsences } from '$lib/collab/absences';
import { assignmentRestrictions, firstVisitStatus } from '$lib/domain/first-visit';
import { parseDocumentName } from '$lib/domain/documents';
import type { Db } from '$lib/server/db';
import {
	absence,
	client,
	collabSnapshot,
	collabUpdate,
	projectionVersion,
	rotaVisit,
	type RotaVisitRow,
	team,
	visitPattern
} from '$lib/server/db/schema';
import { formatWeek } from '$lib/domain/week';
import type { Visit } from '$lib/domain/rota';
import { tellRotaChanged, tellUrgentTransmissions } from '$lib/server/rota/tell';
import type { DocumentReader } from './document-reader';
import { storableRow } from '$lib/server/db/storable';

interface CaseloadRows {
	clients: (typeof client.$inferInsert)[];
	patterns: (typeof visitPattern.$inferInsert)[];
	/** Urgent transmissions, for the notice to those who visit soon (not stored in the read model). */
	urgent: { clientId: string; id: string; at: string; authorId: string }[];
}

/** The read-model rows of one team's caseload document. Cards that do not fit keep their problems. */
function caseloadRows(teamId: string, doc: Y.Doc): CaseloadRows {
	const rows: CaseloadRows = { clients: [], patterns: [], urgent: [] };
	for (const { card, problems } of readCards(doc)) {
		const restrictions = assignmentRestrictions(card.firstVisit);
		rows.clients.push({
			teamId,
			id: card.id,
			name: card.name,
			address: card.address,
			sector: card.sector,
			status: card.status,
			statusSince: card.statusSince,
			primaryCarerId: card.primaryCarerId,
			needs: card.needs,
			nurseOnly: restrictions.nurseOnly,
			twoCarers: restrictions.twoCarers,
			firstVisitDone: firstVisitStatus(card.firstVisit) === 'complete',
			refusedCarerIds: card.refusedCarerIds,
			problems
		});
		card.visitPattern.forEach((slot, position) =>
			rows.patterns.push({ teamId, clientId: card.id, position, ...slot })
		);
		for (const t of transmissionsOf(doc, card.id))
			if (t.urgent)
				rows.urgent.push({ clientId: card.id, id: t.id, at: t.at, authorId: t.authorId });
	}
	return rows;
}

/** The read-model rows of one team's absences, from its board document (notes are not kept). */
function absenceRows(teamId: string, doc: Y.Doc): (typeof absence.$inferInsert)[] {
	return readAbsences(doc).map((a) => ({
		teamId,
		id: a.id,
		memberId: a.memberId,
		kind: a.kind,
		startsOn: a.from,
		endsOn: a.to,
		startsAt: a.startsAt ?? null,
		endsAt: a.endsAt ?? null
	}));
}

function rotaRows(
	teamId: string,
	week: string,
	visits: Visit[]
): (typeof rotaVisit.$inferInsert)[] {
	return visits.map((v) => ({
		teamId,
		week,
		id: v.id,
		clientId: v.clientId,
		carerId: v.carerId,
		date: v.date,
		start: v.start,
		minutes: v.minutes,
		qualification: v.qualification
	}));
}

const BATCH = 500;
/** Documents whose last written rows this instance remembers (beyond that, it rewrites them whole). */
const DOCUMENTS_REMEMBERED = 2_000;

/** One table a document projects into, its rows within the document's scope, grouped for rewriting. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of any of the four tables
type Part<Row = any> = {
	table: PgTable;
	/** Every row of this document in the table. */
	scope: SQL;
	/** The column that `group` reads: rows are deleted and written again by group. */
	groupColumn: PgColumn;
	group: (row: Row) => string;
	rows: Row[];
};

/** A part's rows by group, and each group serialised: what is compared with the rows written last. */
function groupsOf(part: Part): { rows: Map<string, unknown[]>; json: Map<string, string> } {
	const rows = new Map<string, unknown[]>();
	for (const row of part.rows) {
		const g = part.group(row);
		const list = rows.get(g);
		if (list === undefined) rows.set(g, [row]);
		else list.push(row);
	}
	return { rows, json: new Map([...rows].map(([g, list]) => [g, JSON.stringify(list)])) };
}

/** Which read model a document feeds, and under which key its refreshes are serialised. */
function targetOf(docName: string): {
	key: string;
	kind: 'caseload' | 'board' | 'rota';
	teamId: string;
	week: string | null;
} | null {
	const parsed = parseDocumentName(docName);
	if (parsed === null) return null;
	if (parsed.kind === 'caseload' || parsed.kind === 'board')
		return { key: docName, kind: parsed.kind, teamId: parsed.teamId, week: null };
	if (parsed.kind === 'rota') {
		return {
			key: docName,
			kind: 'rota',
			teamId: parsed.teamId,
			week: formatWeek(parsed.year, parsed.week)
		};
	}
	return null;
}

/**
 * How long a changed document waits before its projection: `delayMs` for the edits to settle, and
 * at least fifty times what its last projection held the event loop (reading the document, then
 * preparing and comparing its rows), at most five seconds. Each is one block of the event loop as
 * long as the document is big; a document edited without pause (a meeting's notes, or a hostile
 * member's stream) would otherwise be projected again every `delayMs`, and everyone's round trips
 * would wait behind it. So a projection holds the loop at most about a fiftieth of the time per
 * document (its writes to the database cost about as much again), and the read model of a huge,
 * busy document lags more: 2 s behind for one that takes 40 ms to read. Twenty times, as before,
 * let the busy documents of the long fuzz hold a tenth of the server's time between them.
 */
export function projectionDelay(delayMs: number, lastCostMs: number): number {
	return Math.max(delayMs, Math.min(50 * lastCostMs, 5_000));
}

/**
 * Projects documents into the read model: caseload documents into `client` and `visit_pattern`;
 * board documents into `absence`; rota weeks into `rota_visit`. Told of every committed change, it waits `delayMs` for
 * the edits to settle, then rewrites that document's rows in one transaction. Rebuildable from the
 * documents at any time (`rebuildAll`); the documents are the truth.
 */
export class Projections {
	private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
	private readonly running = new Map<string, Promise<void>>();
	/**
	 * Per document: what its last projection held the event loop (ms: reading the document, then
	 * preparing and comparing its rows; Infinity after a failure), which spaces its next one.
	 */
	private readonly costMs = new Map<string, number>();
	/** Per document: the version this instance last wrote, and each part's groups as written. */
	private readonly written = new Map<string, { version: number; parts: Map<string, string>[] }>();

	constructor(
		private readonly db: Db,
		private readonly documents: DocumentReader,
		private readonly options: { delayMs?: number; log?: Pick<Console, 'error'> } = {}
	) {}

	/** The collab server's commit listener: schedules a refresh of the documents that feed a read model. */
	notify(docName: string): void {
		const target = targetOf(docName);
		if (target === null || this.timers.has(docName)) return;
		const timer = setTimeout(
			() => {
				this.timers.delete(docName);
				void this.refresh(docName);
			},
			projectionDelay(this.options.delayMs ?? 300, this.costMs.get(docName) ?? 0)
		);
		timer.unref?.();
		this.timers.set(docName, timer);
	}

	/** Projects one team's caseload (and the absences on its board) now. */
	async refreshCaseload(teamId: string): Promise<void> {
		await this.refresh(`team/${teamId}/caseload`);
		await this.refresh(`team/${teamId}/board`);
	}

	/** Projects one document now (after any projection of it already running). */
	refresh(docName: string, options: { quiet?: boolean } = {}): Promise<void> {
		const previous = this.running.get(docName) ?? Promise.resolve();
		const next = previous.then(async () => {
			try {
				await this.project(docName, options.quiet === true);
			} catch (error) {
				// Whatever failed will likely fail again: the next try waits the longest delay.
				this.costMs.set(docName, Infinity);
				(this.options.log ?? console).error(`[projection] ${docName} failed:`, error);
			}
		});
		this.running.set(docName, next);
		void next.finally(() => {
			if (this.running.get(docName) === next) this.running.delete(docName);
		});
		return next;
	}

	/** Resolves once every scheduled or running projection (of one team, or all) is written. */
	async settle(teamId?: string): Promise<void> {
		const names = [...new Set([...this.timers.keys(), ...this.running.keys()])].filter(
			(name) => teamId === undefined || targetOf(name)?.teamId === teamId
		);
		for (const name of names) {
			const timer = this.timers.get(name);
			if (timer !== undefined) {
				clearTimeout(timer);
				this.timers.delete(name);
				void this.refresh(name);
			}
			await this.running.get(name);
		}
	}

	/**
	 * Drops the projections still scheduled and waits for the running ones: before the database
	 * closes (a timer firing after it would fail). The read model is rebuildable from the documents.
	 */
	async stop(): Promise<void> {
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
		await Promise.all(this.running.values());
	}

	/** Rebuilds the read model from every stored caseload and rota document. */
	async rebuildAll(): Promise<number> {
		// A rebuild trusts nothing it remembers of the rows: each document's rows are rewritten whole.
		this.written.clear();
		const names = await this.db
			.selectDistinct({ name: collabSnapshot.docName })
			.from(collabSnapshot)
			.where(
				or(
					like(collabSnapshot.docName, 'team/%/caseload'),
					like(collabSnapshot.docName, 'team/%/board'),
					like(collabSnapshot.docName, 'team/%/rota/%')
				)
			)
			.union(
				this.db
					.selectDistinct({ name: collabUpdate.docName })
					.from(collabUpdate)
					.where(
						or(
							like(collabUpdate.docName, 'team/%/caseload'),
							like(collabUpdate.docName, 'team/%/board'),
							like(collabUpdate.docName, 'team/%/rota/%')
						)
					)
			);
		let count = 0;
		for (const { name } of names) {
			if (targetOf(name) === null) continue;
			// A rebuild restates what is known: nobody is told anything.
			await this.refresh(name, { quiet: true });
			count++;
		}
		return count;
	}

	/**
	 * Writes one document's rows. Unless `quiet`, then tells members what changed (rota/tell.ts):
	 * a rota week compares its visits before and after; the caseload passes its urgent transmissions.
	 * What it held the event loop (its synchronous steps, timed by `held`) spaces the next one.
	 */
	private async project(docName: string, quiet: boolean): Promise<void> {
		const held = new Held();
		try {
			await this.projectTimed(docName, quiet, held);
		} finally {
			if (this.costMs.size >= 10_000) this.costMs.clear();
			this.costMs.set(docName, held.ms);
		}
	}

	private async projectTimed(docName: string, quiet: boolean, held: Held): Promise<void> {
		const target = targetOf(docName);
		if (target === null) return;
		const { teamId, week } = target;
		const [exists] = await this.db.select({ id: team.id }).from(team).where(eq(team.id, teamId));
		if (exists === undefined) return;
		if (week !== null) {
			const visits = await this.documents.read(docName, (doc) =>
				held.time(() => readWeek(doc).visits)
			);
			const rows = rotaRows(teamId, week, visits);
			const before = quiet ? [] : await this.rowsBefore(docName, teamId, week, held);
			await this.write(docName, held, [
				{
					table: rotaVisit,
					scope: and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.week, week))!,
					groupColumn: rotaVisit.id,
					group: (row) => row.id,
					rows
				}
			]);
			if (!quiet)
				await tellRotaChanged(this.db, this.documents, {
					teamId,
					week,
					docName,
					before,
					after: visits
				});
			return;
		}
		if (target.kind === 'board') {
			const rows = await this.documents.read(docName, (doc) =>
				held.time(() => absenceRows(teamId, doc))
			);
			await this.write(docName, held, [
				{
					table: absence,
					scope: eq(absence.teamId, teamId),
					groupColumn: absence.id,
					group: (row) => row.id,
					rows
				}
			]);
			return;
		}
		const rows = await this.documents.read(docName, (doc) =>
			held.time(() => caseloadRows(teamId, doc))
		);
		// Patterns first: written and deleted by client, so a client's slots move together.
		await this.write(docName, held, [
			{
				table: visitPattern,
				scope: eq(visitPattern.teamId, teamId),
				groupColumn: visitPattern.clientId,
				group: (row) => row.clientId,
				rows: rows.patterns
			},
			{
				table: client,
				scope: eq(client.teamId, teamId),
				groupColumn: client.id,
				group: (row) => row.id,
				rows: rows.clients
			}
		]);
		if (!quiet) await tellUrgentTransmissions(this.db, { teamId, transmissions: rows.urgent });
	}

	/** A rota week's visits as written last: remembered when this instance wrote them, else read. */
	private async rowsBefore(
		docName: string,
		teamId: string,
		week: string,
		held: Held
	): Promise<RotaVisitRow[]> {
		const known = this.written.get(docName)?.parts[0];
		if (known !== undefined)
			return held.time(() =>
				[...known.values()].flatMap((json) => JSON.parse(json) as RotaVisitRow[])
			);
		return this.db
			.select()
			.from(rotaVisit)
			.where(and(eq(rotaVisit.teamId, teamId), eq(rotaVisit.week, week)));
	}

	/**
	 * Writes a document's rows. When this instance wrote the version the database holds, it knows
	 * the rows as they stand and changes only the groups (a visit, a client and its slots) that
	 * differ: typing in a card's notes writes nothing, moving one visit writes one row. Otherwise
	 * (first write since start, or another instance wrote since) the document's rows are rewritten.
	 */
	private async write(docName: string, held: Held, given: Part[]): Promise<void> {
		const known = this.written.get(docName);
		/** The groups of part `i` that differ from those written last, or null if unknown. */
		const changed = (i: number, next: ReturnType<typeof groupsOf>[]) => {
			const before = known?.parts[i];
			if (before === undefined) return null;
			const groups = new Set<string>();
			for (const [g, json] of next[i]!.json) if (before.get(g) !== json) groups.add(g);
			for (const g of before.keys()) if (!next[i]!.json.has(g)) groups.add(g);
			return [...groups];
		};
		const versionOf = async (db: Pick<Db, 'select'>) =>
			(
				await db
					.select({ version: projectionVersion.version })
					.from(projectionVersion)
					.where(eq(projectionVersion.docName, docName))
			)[0]?.version ?? 0;
		const { parts, next, unchanged } = held.time(() => {
			// A document holds whatever its members' updates carried: a NUL or a 10,000-character key
			// in one card would fail every write of the team's rows, for ever (storable.ts).
			const parts = given.map((part) => ({ ...part, rows: part.rows.map(storableRow) }));
			const next = parts.map((part) => groupsOf(part));
			return {
				parts,
				next,
				unchanged: known !== undefined && parts.every((_, i) => changed(i, next)!.length === 0)
			};
		});
		// Nothing of the read model changed; still, another instance may have written since.
		if (unchanged && (await versionOf(this.db)) === known?.version) return;
		const version = await this.db.transaction(async (tx) => {
			// Serialise projections of one document across processes sharing the database.
			await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${docName}))`);
			const stored = await versionOf(tx);
			const incremental = known !== undefined && known.version === stored;
			for (const [i, part] of parts.entries()) {
				const groups = incremental ? changed(i, next)! : null;
				if (groups !== null && groups.length === 0) continue;
				await tx
					.delete(part.table)
					.where(groups === null ? part.scope : and(part.scope, inArray(part.groupColumn, groups)));
				const rows =
					groups === null ? part.rows : groups.flatMap((g) => next[i]!.rows.get(g) ?? []);
				for (let at = 0; at < rows.length; at += BATCH)
					await tx.insert(part.table).values(rows.slice(at, at + BATCH));
			}
			await tx
				.insert(projectionVersion)
				.values({ docName, version: stored + 1 })
				.onConflictDoUpdate({ target: projectionVersion.docName, set: { version: stored + 1 } });
			return stored + 1;
		});
		if (this.written.size >= DOCUMENTS_REMEMBERED) this.written.clear();
		this.written.set(docName, { version, parts: next.map((n) => n.json) });
	}
}

/** What one projection holds the event loop: the sum of its synchronous steps. */
class Held {
	ms = 0;
	time<T>(step: () => T): T {
		const started = performance.now();
		try {
			return step();
		} finally {
			this.ms += performance.now() - started;
		}
	}
}
