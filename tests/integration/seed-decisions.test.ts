import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabServer } from '../../src/lib/server/collab/server';
import { governanceMirror } from '../../src/lib/server/collab/governance';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { decision } from '../../src/lib/server/db/schema';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as rules from '../../src/lib/server/governance/rules';
import * as seed from '../../src/lib/server/seed/people';
import { writeDemoDecisions } from '../../src/lib/server/seed/decisions';
import { createTestDatabase } from '../helpers/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let collab: CollabServer;
let teamId: string;
const NOW = new Date('2026-11-24T10:00:00Z');

beforeAll(async () => {
	database = await createTestDatabase();
	collab = new CollabServer({
		store: new PostgresDocStore(database.db),
		authorize: async () => ({ ok: false, status: 401, reason: 'no sockets here' }),
		log: { info: () => {}, warn: () => {}, error: (...a: unknown[]) => console.error(...a) }
	});
	const demo = await seed.demo(database.db);
	const team = demo.teams[0]!;
	teamId = team.id;
	await writeDemoDecisions(
		database.db,
		governanceMirror(collab),
		team.id,
		team.members.map((m) => m.id),
		NOW
	);
});

afterAll(async () => {
	await collab?.close();
	await database?.dispose();
});

describe('the demo decisions', () => {
	it('set the rules they announce: the meeting day, three carers at most, swaps until 18:00 the day before', async () => {
		const derived = await rules.derived(database.db, teamId);
		expect(derived.meeting).toMatchObject({
			value: { weekday: 2, start: 13 * 60 + 30 },
			source: { title: 'Réunion d’équipe le mardi à 13\u00a0h\u00a030' }
		});
		expect(derived.maxCarersPerClient).toMatchObject({
			value: 3,
			source: { title: 'Pas plus de trois intervenants par personne et par semaine' }
		});
		expect(derived.swapNotice).toMatchObject({
			value: { kind: 'day-before', at: 18 * 60 },
			source: { title: 'Échanges de passages jusqu’à la veille 18\u00a0h' }
		});
		// What the team has not decided keeps its starting value, said as such.
		expect(derived.joining).toEqual({ value: 'invitation', source: null });
	});

	it('fill the log: adopted ones, one objection integrated, one due for review, one withdrawn, one open', async () => {
		const log = await decisions.list(database.db, { teamId });
		expect(log).toHaveLength(12);
		const stages = log.map((d) => d.stage);
		expect(stages.filter((s) => s === 'adopted').length).toBeGreaterThanOrEqual(9);
		expect(stages).toContain('withdrawn');
		expect(stages).toContain('questions');
		expect(log.some((d) => d.stage === 'adopted' && d.reviewDate <= '2026-11-24')).toBe(true);
		const [first] = await database.db
			.select()
			.from(decision)
			.where(eq(decision.title, 'Tournée du samedi à deux'));
		expect(first?.state.versions).toHaveLength(2);
		expect(first?.state.versions[0]?.answers.some((a) => a.kind === 'objection')).toBe(true);
		expect(first?.stage).toBe('adopted');
		const mirrored = await collab.read(
			`team/${teamId}/governance`,
			(doc) => doc.getMap('decisions').size
		);
		expect(mirrored).toBe(12);
	});
});

describe('demo meetings', () => {
	it('hold the demo decisions of their week, with minutes, and plan the next meeting with an agenda', async () => {
		const { writeDemoMeetings } = await import('../../src/lib/server/seed/meetings');
		const meetings = await import('../../src/lib/server/governance/meetings');
		const team = (await database.db.select({ id: decision.teamId }).from(decision).limit(1))[0]!;
		const memberIds = (await teamsOf(team.id)).map((m) => m.userId);
		await writeDemoMeetings(database.db, collab, { id: team.id, memberIds }, NOW);
		const past = await meetings.past(database.db, team.id);
		expect(past).toHaveLength(11);
		const minutes = past.map(
			(p) => p.minutes as unknown as import('../../src/lib/domain/meeting').Minutes
		);
		const saturday = minutes
			.flatMap((m) => m.decisions)
			.find((d) => d.title === 'Tournée du samedi à deux');
		expect(saturday).toMatchObject({ stage: 'adopted', version: 2 });
		expect(saturday!.integrated).toHaveLength(1);
		expect(saturday!.consented.length).toBeGreaterThan(0);
		const next = await meetings.next(database.db, team.id, '2026-11-24');
		expect(next.status).toBe('planned');
		const live = await meetings.liveState(collab, team.id, next.id, memberIds);
		expect(live.agenda.map((a) => a.kind)).toEqual(['proposal', 'information']);
	});
});

async function teamsOf(teamId: string) {
	const teams = await import('../../src/lib/server/teams/teams');
	return teams.members(database.db, teamId);
}

describe('the demo coach', () => {
	it('follows the team because the team adopted the decision giving access', async () => {
		const { writeDemoCoachAccess } = await import('../../src/lib/server/seed/decisions');
		const teams = await import('../../src/lib/server/teams/teams');
		const { coaching } = await import('../../src/lib/server/db/schema');
		const [row] = await database.db.select().from(coaching).where(eq(coaching.teamId, teamId));
		const memberIds = (await teams.members(database.db, teamId)).map((m) => m.userId);
		await writeDemoCoachAccess(
			database.db,
			governanceMirror(collab),
			{ teamId, memberIds, coach: { id: row!.userId, name: 'Claire Morel' } },
			NOW
		);
		expect((await teams.access(database.db, row!.userId, teamId))?.kind).toBe('coach');
		const [after] = await database.db.select().from(coaching).where(eq(coaching.teamId, teamId));
		const d = await decisions.read(database.db, governanceMirror(collab), {
			teamId,
			decisionId: after!.decisionId!
		});
		expect(d).toMatchObject({
			stage: 'adopted',
			change: { kind: 'grant-coach', coachId: row!.userId }
		});
	});
});
