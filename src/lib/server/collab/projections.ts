import { eq, like, sql } from 'drizzle-orm';
import type * as Y from 'yjs';
import { readCards } from '$lib/collab/caseload';
import { parseAbsences } from '$lib/domain/absences';
import { assignmentRestrictions, firstVisitStatus } from '$lib/domain/first-visit';
import { parseDocumentName } from '$lib/domain/documents';
import type { Db } from '$lib/server/db';
import {
	absence,
	client,
	collabSnapshot,
	collabUpdate,
	team,
	visitPattern
} from '$lib/server/db/schema';

/** What the projection needs of the collab server (CollabServer satisfies it). */
export interface DocumentReader {
	read<T>(docName: string, reader: (doc: Y.Doc) => T): Promise<T>;
}

export interface CaseloadRows {
	clients: (typeof client.$inferInsert)[];
	patterns: (typeof visitPattern.$inferInsert)[];
	absences: (typeof absence.$inferInsert)[];
}

/** The read-model rows of one team's caseload document. Cards that do not fit keep their problems. */
export function caseloadRows(teamId: string, doc: Y.Doc): CaseloadRows {
	const rows: CaseloadRows = { clients: [], patterns: [], absences: [] };
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
	}
	const { absences } = parseAbsences(doc.getMap('absences').toJSON());
	for (const a of absences) {
		rows.absences.push({
			teamId,
			id: a.id,
			memberId: a.memberId,
			kind: a.kind,
			startsOn: a.from,
			endsOn: a.to
		});
	}
	return rows;
}

const BATCH = 500;

/**
 * Projects caseload documents into the read model (`client`, `visit_pattern`, `absence`): told of
 * every committed change, it waits `delayMs` for the edits to settle, then rewrites the team's rows
 * in one transaction. Rebuildable from the documents at any time (`rebuildAll`).
 */
export class CaseloadProjection {
	private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
	private readonly running = new Map<string, Promise<void>>();

	constructor(
		private readonly db: Db,
		private readonly documents: DocumentReader,
		private readonly options: { delayMs?: number; log?: Pick<Console, 'error'> } = {}
	) {}

	/** The collab server's commit listener: schedules a refresh of caseload documents only. */
	notify(docName: string): void {
		const parsed = parseDocumentName(docName);
		if (parsed === null || parsed.kind !== 'caseload') return;
		if (this.timers.has(parsed.teamId)) return;
		const timer = setTimeout(() => {
			this.timers.delete(parsed.teamId);
			void this.refresh(parsed.teamId);
		}, this.options.delayMs ?? 300);
		timer.unref?.();
		this.timers.set(parsed.teamId, timer);
	}

	/** Projects one team now (after any projection of it already running). */
	refresh(teamId: string): Promise<void> {
		const previous = this.running.get(teamId) ?? Promise.resolve();
		const next = previous.then(async () => {
			try {
				await this.project(teamId);
			} catch (error) {
				(this.options.log ?? console).error(`[projection] caseload of ${teamId} failed:`, error);
			}
		});
		this.running.set(teamId, next);
		void next.finally(() => {
			if (this.running.get(teamId) === next) this.running.delete(teamId);
		});
		return next;
	}

	/** Resolves once every scheduled or running projection is written (export, tests). */
	async settle(teamId?: string): Promise<void> {
		const teams =
			teamId === undefined
				? [...new Set([...this.timers.keys(), ...this.running.keys()])]
				: [teamId];
		for (const id of teams) {
			const timer = this.timers.get(id);
			if (timer !== undefined) {
				clearTimeout(timer);
				this.timers.delete(id);
				void this.refresh(id);
			}
			await this.running.get(id);
		}
	}

	/** Rebuilds the read model of every team that has a caseload document. */
	async rebuildAll(): Promise<number> {
		const names = await this.db
			.selectDistinct({ name: collabSnapshot.docName })
			.from(collabSnapshot)
			.where(like(collabSnapshot.docName, 'team/%/caseload'))
			.union(
				this.db
					.selectDistinct({ name: collabUpdate.docName })
					.from(collabUpdate)
					.where(like(collabUpdate.docName, 'team/%/caseload'))
			);
		let count = 0;
		for (const { name } of names) {
			const parsed = parseDocumentName(name);
			if (parsed === null || parsed.kind !== 'caseload') continue;
			await this.refresh(parsed.teamId);
			count++;
		}
		return count;
	}

	private async project(teamId: string): Promise<void> {
		const [exists] = await this.db.select({ id: team.id }).from(team).where(eq(team.id, teamId));
		if (exists === undefined) return;
		const rows = await this.documents.read(`team/${teamId}/caseload`, (doc) =>
			caseloadRows(teamId, doc)
		);
		await this.db.transaction(async (tx) => {
			// Serialise projections of one team across processes sharing the database.
			await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`caseload:${teamId}`}))`);
			await tx.delete(visitPattern).where(eq(visitPattern.teamId, teamId));
			await tx.delete(client).where(eq(client.teamId, teamId));
			await tx.delete(absence).where(eq(absence.teamId, teamId));
			for (let i = 0; i < rows.clients.length; i += BATCH)
				await tx.insert(client).values(rows.clients.slice(i, i + BATCH));
			for (let i = 0; i < rows.patterns.length; i += BATCH)
				await tx.insert(visitPattern).values(rows.patterns.slice(i, i + BATCH));
			for (let i = 0; i < rows.absences.length; i += BATCH)
				await tx.insert(absence).values(rows.absences.slice(i, i + BATCH));
		});
	}
}
