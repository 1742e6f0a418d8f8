import { and, desc, eq, inArray, ne } from 'drizzle-orm';
import { readCards as readCaseload } from '$lib/collab/caseload';
import { addCard, readCards } from '$lib/collab/kaizen';
import type { StandardContent } from '$lib/domain/care-standard';
import { clientDataIn, type CaseloadPerson } from '$lib/domain/client-data';
import { evaluate, type Decision } from '$lib/domain/consent';
import {
	adoptionRefusal,
	KAIZEN_LIMITS,
	shownState,
	type KaizenCard,
	type LessonInput,
	type MoveRefusal,
	type ShownState
} from '$lib/domain/kaizen';
import type { Db } from '$lib/server/db';
import {
	careStandardVersion,
	coaching,
	decision,
	kaizenAdoption,
	lesson,
	team
} from '$lib/server/db/schema';
import { newId } from '$lib/server/auth/random';
import type { CollabServer } from '$lib/server/collab/server';
import * as decisions from '$lib/server/governance/decisions';
import { proposeWhere, type FeatureProposal } from '$lib/server/governance/decide-where';
import * as standards from './standards';

/**
 * The kaizen board's server side: the cards live in the team's document `team/<teamId>/kaizen`
 * (members edit them together); adopting a card's countermeasure is a team decision, kept in
 * `kaizen_adoption`; a card's lesson may be shared with the other teams (table `lesson`) once the
 * server has checked it holds no client data of the team's caseload.
 */
const kaizenDoc = (teamId: string) => `team/${teamId}/kaizen`;

type Collab = Pick<CollabServer, 'read' | 'change'>;

/** A card's adoption: its decision, and the care standard that decision adopts, if it is one. */
interface Adoption {
	decisionId: string;
	stage: Decision['stage'];
	standardId: string | null;
}

/** Each card's adoption decision as it stands (deadlines applied), the latest per card. */
export async function adoptions(
	db: Db,
	teamId: string,
	now = new Date()
): Promise<Map<string, Adoption>> {
	const rows = await db
		.select({
			cardId: kaizenAdoption.cardId,
			state: decision.state,
			at: kaizenAdoption.at,
			standardId: careStandardVersion.standardId
		})
		.from(kaizenAdoption)
		.innerJoin(decision, eq(decision.id, kaizenAdoption.decisionId))
		.leftJoin(careStandardVersion, eq(careStandardVersion.decisionId, kaizenAdoption.decisionId))
		.where(eq(kaizenAdoption.teamId, teamId))
		.orderBy(kaizenAdoption.at);
	const out = new Map<string, Adoption>();
	for (const row of rows) {
		const stage = evaluate(row.state, now).stage;
		const known = out.get(row.cardId);
		// An adopted decision stays the card's answer whatever came after; else the latest counts.
		if (known?.stage === 'adopted') continue;
		out.set(row.cardId, { decisionId: row.state.id, stage, standardId: row.standardId });
	}
	return out;
}

/** The board as the server reads it, each card with the state it shows. */
export async function board(
	db: Db,
	collab: Pick<CollabServer, 'read'>,
	teamId: string,
	now = new Date()
): Promise<(KaizenCard & { shown: ShownState; decisionId: string | null })[]> {
	const [cards, adopted] = await Promise.all([
		collab.read(kaizenDoc(teamId), readCards),
		adoptions(db, teamId, now)
	]);
	return cards.map((card) => {
		const a = adopted.get(card.id) ?? null;
		return {
			...card,
			shown: shownState(card, a?.stage ?? null),
			decisionId: a?.decisionId ?? null
		};
	});
}

type AdoptRefusal = MoveRefusal | 'no-card' | 'meeting-not-open';
type AdoptResult = { ok: true; decision: Decision } | { ok: false; reason: AdoptRefusal };

/** What putting a card's countermeasure to the team asks, whichever decision it becomes. */
type AdoptionInput = Omit<FeatureProposal, 'title' | 'now'> & { cardId: string; now?: Date };

/** The card, when its countermeasure may be put to the team now; else why not. */
async function adoptableCard(
	db: Db,
	collab: Collab,
	input: AdoptionInput,
	now: Date
): Promise<{ ok: true } | { ok: false; reason: AdoptRefusal }> {
	const card = (await board(db, collab, input.teamId, now)).find((c) => c.id === input.cardId);
	if (card === undefined) return { ok: false, reason: 'no-card' };
	const refusal = adoptionRefusal(card, card.shown);
	return refusal === null ? { ok: true } : { ok: false, reason: refusal };
}

/** The card shows the decision's stage from now on. */
async function linkAdoption(db: Db, input: AdoptionInput, decisionId: string, now: Date) {
	await db.insert(kaizenAdoption).values({
		teamId: input.teamId,
		cardId: input.cardId,
		decisionId,
		proposedBy: input.userId,
		at: now
	});
}

/**
 * Puts a card's countermeasure to the team as its way of working: a decision by consent, in the
 * open meeting (those present take part) or between meetings until `deadline`. The card shows
 * "adopted" once that decision is adopted.
 */
export async function proposeAdoption(
	db: Db,
	mirror: decisions.Mirror,
	collab: Collab,
	input: AdoptionInput & { title: string }
): Promise<AdoptResult> {
	const now = input.now ?? new Date();
	const adoptable = await adoptableCard(db, collab, input, now);
	if (!adoptable.ok) return adoptable;
	const d = await proposeWhere(db, mirror, collab, { ...input, now });
	if (d === null) return { ok: false, reason: 'meeting-not-open' };
	await linkAdoption(db, input, d.id, now);
	return { ok: true, decision: d };
}

type ProposeStandardResult =
	{ ok: true; standardId: string; decisionId: string } | { ok: false; reason: AdoptRefusal };

/**
 * Puts a card's countermeasure to the team as a new care standard: one consent decision (in the
 * open meeting, or between meetings until `deadline`) that both makes the standard's first version
 * current and shows the card adopted, once adopted. The same checks as `proposeAdoption`.
 */
export async function proposeStandard(
	db: Db,
	mirrors: Parameters<typeof standards.proposeVersion>[1],
	collab: Collab,
	input: AdoptionInput & { content: StandardContent; decisionTitle: string }
): Promise<ProposeStandardResult> {
	const now = input.now ?? new Date();
	const adoptable = await adoptableCard(db, collab, input, now);
	if (!adoptable.ok) return adoptable;
	const out = await standards.proposeVersion(db, mirrors, collab, {
		...input,
		standardId: null,
		via: 'consent',
		now
	});
	if (!out.ok) return { ok: false, reason: 'meeting-not-open' };
	await linkAdoption(db, input, out.decisionId, now);
	return { ok: true, standardId: out.standardId, decisionId: out.decisionId };
}

/** The people of the team's caseload, as the privacy check needs them. */
async function caseloadPeople(collab: Pick<CollabServer, 'read'>, teamId: string) {
	return collab.read(`team/${teamId}/caseload`, (doc) =>
		readCaseload(doc).map(({ card }): CaseloadPerson => ({
			name: card.name,
			address: card.address,
			needs: card.needs,
			contacts: card.contacts
		}))
	);
}

type PublishResult =
	| { ok: true; id: string }
	| { ok: false; reason: 'no-card' }
	| { ok: false; reason: 'client-data'; found: string[] };

/**
 * Shares a card's lesson with the other teams and the team's coaches: refused when its words hold
 * any client data of the team's caseload (the check the coach privacy crawl relies on).
 */
export async function publishLesson(
	db: Db,
	collab: Pick<CollabServer, 'read'>,
	input: LessonInput & { teamId: string; userId: string; cardId: string; now?: Date }
): Promise<PublishResult> {
	const cards = await collab.read(kaizenDoc(input.teamId), readCards);
	if (!cards.some((c) => c.id === input.cardId)) return { ok: false, reason: 'no-card' };
	const found = clientDataIn(
		`${input.title}\n${input.text}`,
		await caseloadPeople(collab, input.teamId)
	);
	if (found.length > 0) return { ok: false, reason: 'client-data', found };
	const id = newId();
	await db.insert(lesson).values({
		id,
		teamId: input.teamId,
		cardId: input.cardId,
		title: input.title,
		text: input.text,
		publishedBy: input.userId,
		at: input.now ?? new Date()
	});
	return { ok: true, id };
}

const lessonColumns = {
	id: lesson.id,
	teamId: lesson.teamId,
	teamName: team.name,
	title: lesson.title,
	text: lesson.text,
	at: lesson.at
};

/**
 * Lessons a team's members read: every team of the organisation shares with every other (one
 * Kring installation is one organisation), their own team's first marked as theirs.
 */
export async function lessonsForTeam(db: Db, teamId: string) {
	const rows = await db
		.select(lessonColumns)
		.from(lesson)
		.innerJoin(team, eq(team.id, lesson.teamId))
		.orderBy(desc(lesson.at), lesson.id)
		.limit(200);
	return rows.map((r) => ({ ...r, own: r.teamId === teamId }));
}

/** Lessons a coach reads: those of the teams they follow (active coaching only). No client data. */
export async function lessonsForCoach(db: Db, userId: string) {
	const followed = db
		.select({ teamId: coaching.teamId })
		.from(coaching)
		.where(and(eq(coaching.userId, userId), eq(coaching.status, 'active')));
	return db
		.select(lessonColumns)
		.from(lesson)
		.innerJoin(team, eq(team.id, lesson.teamId))
		.where(inArray(lesson.teamId, followed))
		.orderBy(desc(lesson.at), lesson.id)
		.limit(200);
}

type CopyResult = { ok: true; cardId: string } | { ok: false; reason: 'no-lesson' | 'board-full' };

/** Copies another team's lesson as a new open card of this team (its own problem to observe). */
export async function copyLesson(
	db: Db,
	collab: Collab,
	input: { teamId: string; lessonId: string; now?: Date }
): Promise<CopyResult> {
	const [found] = await db
		.select({ id: lesson.id, title: lesson.title, text: lesson.text })
		.from(lesson)
		.where(and(eq(lesson.id, input.lessonId), ne(lesson.teamId, input.teamId)));
	if (found === undefined) return { ok: false, reason: 'no-lesson' };
	const cardId = crypto.randomUUID();
	let full = false;
	await collab.change(kaizenDoc(input.teamId), (doc) => {
		if (doc.getMap('cards').size >= KAIZEN_LIMITS.cards) {
			full = true;
			return;
		}
		addCard(
			doc,
			cardId,
			{
				title: found.title.slice(0, KAIZEN_LIMITS.title),
				countermeasures: found.text.slice(0, KAIZEN_LIMITS.text),
				fromLesson: found.id
			},
			input.now
		);
	});
	return full ? { ok: false, reason: 'board-full' } : { ok: true, cardId };
}
