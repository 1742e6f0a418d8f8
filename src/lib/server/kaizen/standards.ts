import { and, asc, eq, inArray, max } from 'drizzle-orm';
import {
	standardContentSchema,
	versionStatuses,
	type StandardContent,
	type VersionDecision,
	type VersionStatus
} from '$lib/domain/care-standard';
import { evaluate } from '$lib/domain/consent';
import type { Db } from '$lib/server/db';
import {
	adviceProcess,
	careStandard,
	careStandardVersion,
	decision,
	membership
} from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import type { CollabServer } from '$lib/server/collab/server';
import * as advice from '$lib/server/governance/advice';
import { proposeWhere } from '$lib/server/governance/decide-where';
import * as decisions from '$lib/server/governance/decisions';

/**
 * The team's care standards. A change (the first version included) is proposed with a decision,
 * by consent or by the advice process, and becomes the current version when that decision is
 * adopted (or the advice process decided): read from the decisions each time, so it can never
 * disagree with them. Every version is kept.
 */
interface StandardVersion {
	id: string;
	number: number;
	content: StandardContent;
	decision: VersionDecision & { id: string };
	status: VersionStatus;
	at: Date;
}

interface Standard {
	id: string;
	/** The current version, or null while the first one waits for its decision. */
	current: StandardVersion | null;
	/** Latest first. */
	versions: StandardVersion[];
}

/** Every standard of the team with its versions, as their decisions stand now. */
export async function list(db: Db, teamId: string, now = new Date()): Promise<Standard[]> {
	const standards = await db
		.select({ id: careStandard.id })
		.from(careStandard)
		.where(eq(careStandard.teamId, teamId))
		.orderBy(asc(careStandard.createdAt), asc(careStandard.id));
	if (standards.length === 0) return [];
	const rows = await db
		.select({
			id: careStandardVersion.id,
			standardId: careStandardVersion.standardId,
			number: careStandardVersion.number,
			content: careStandardVersion.content,
			at: careStandardVersion.at,
			consent: decision.state,
			adviceId: adviceProcess.id,
			adviceStage: adviceProcess.stage,
			adviceClosedAt: adviceProcess.closedAt
		})
		.from(careStandardVersion)
		.leftJoin(decision, eq(decision.id, careStandardVersion.decisionId))
		.leftJoin(adviceProcess, eq(adviceProcess.id, careStandardVersion.adviceId))
		.where(
			inArray(
				careStandardVersion.standardId,
				standards.map((s) => s.id)
			)
		);
	return standards.map(({ id }) => {
		const versions = rows
			.filter((r) => r.standardId === id)
			.flatMap((r) => {
				const content = standardContentSchema.safeParse(r.content);
				if (!content.success) return [];
				const d = decisionOf(r, now);
				return d === null
					? []
					: [{ id: r.id, number: r.number, content: content.data, decision: d, at: r.at }];
			});
		const statuses = versionStatuses(versions);
		const all = versions
			.map((v) => ({ ...v, status: statuses.get(v.number)! }))
			.sort((a, b) => b.number - a.number);
		return { id, current: all.find((v) => v.status === 'current') ?? null, versions: all };
	});
}

function decisionOf(
	r: {
		consent: import('$lib/domain/consent').Decision | null;
		adviceId: string | null;
		adviceStage: string | null;
		adviceClosedAt: Date | null;
	},
	now: Date
): (VersionDecision & { id: string }) | null {
	if (r.consent !== null) {
		const d = evaluate(r.consent, now);
		return { kind: 'consent', id: d.id, stage: d.stage, closedAt: d.closedAt };
	}
	if (r.adviceId !== null)
		return {
			kind: 'advice',
			id: r.adviceId,
			stage: r.adviceStage ?? 'asking',
			closedAt: r.adviceClosedAt?.toISOString() ?? null
		};
	return null;
}

export async function get(db: Db, teamId: string, standardId: string, now = new Date()) {
	return (await list(db, teamId, now)).find((s) => s.id === standardId) ?? null;
}

/** The standards a page may link to: id and current title, for the team's own pickers and links. */
export async function titles(db: Db, teamId: string): Promise<{ id: string; title: string }[]> {
	return (await list(db, teamId)).flatMap((s) =>
		s.current === null ? [] : [{ id: s.id, title: s.current.content.title }]
	);
}

type ProposeVersionResult =
	| { ok: true; standardId: string; versionId: string; decisionId: string }
	| { ok: false; reason: 'no-standard' | 'meeting-not-open' | 'nobody-to-ask' };

/**
 * Proposes a version: a new standard (standardId null) or a change of one. By consent (in the open
 * meeting, or between meetings until `deadline`) or by the advice process (the proposer decides
 * after asking every other member). The decision's texts come from the page, in its language.
 */
export async function proposeVersion(
	db: Db,
	mirrors: { decision: decisions.Mirror; advice: advice.AdviceMirror },
	collab: Pick<CollabServer, 'read' | 'change'>,
	input: {
		teamId: string;
		userId: string;
		standardId: string | null;
		content: StandardContent;
		via: 'consent' | 'advice';
		decisionTitle: string;
		driver: string;
		text: string;
		reviewDate: string;
		meetingId: string | null;
		deadline: string | null;
		now?: Date;
	}
): Promise<ProposeVersionResult> {
	const now = input.now ?? new Date();
	if (input.standardId !== null) {
		const [found] = await db
			.select({ id: careStandard.id })
			.from(careStandard)
			.where(and(eq(careStandard.id, input.standardId), eq(careStandard.teamId, input.teamId)));
		if (found === undefined) return { ok: false, reason: 'no-standard' };
	}
	let decisionId: string | null = null;
	let adviceId: string | null = null;
	if (input.via === 'advice') {
		const others = (
			await db
				.select({ id: membership.userId })
				.from(membership)
				.where(eq(membership.teamId, input.teamId))
		)
			.map((m) => m.id)
			.filter((id) => id !== input.userId);
		if (others.length === 0) return { ok: false, reason: 'nobody-to-ask' };
		const out = await advice.announce(db, mirrors.advice, {
			teamId: input.teamId,
			deciderId: input.userId,
			title: input.decisionTitle,
			situation: input.driver,
			intent: input.text,
			area: 'other',
			reviewDate: input.reviewDate,
			affected: others,
			experts: [],
			now
		});
		if (!out.ok) return { ok: false, reason: 'nobody-to-ask' };
		adviceId = out.advice.id;
	} else {
		const d = await proposeWhere(db, mirrors.decision, collab, {
			...input,
			title: input.decisionTitle,
			now
		});
		if (d === null) return { ok: false, reason: 'meeting-not-open' };
		decisionId = d.id;
	}
	const versionId = newId();
	const standardId = await db.transaction(async (tx) => {
		const id = input.standardId ?? newId();
		if (input.standardId === null)
			await tx.insert(careStandard).values({ id, teamId: input.teamId, createdAt: now });
		const [last] = await tx
			.select({ n: max(careStandardVersion.number) })
			.from(careStandardVersion)
			.where(eq(careStandardVersion.standardId, id));
		await tx.insert(careStandardVersion).values({
			id: versionId,
			standardId: id,
			number: (last?.n ?? 0) + 1,
			content: input.content,
			decisionId,
			adviceId,
			proposedBy: input.userId,
			at: now
		});
		return id;
	});
	return { ok: true, standardId, versionId, decisionId: (decisionId ?? adviceId)! };
}
