import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/lib/domain/week';
import { guardTeamRoute } from '../../src/lib/server/auth/guard';
import { createAuthorizer } from '../../src/lib/server/collab/authorize';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import { governanceMirror } from '../../src/lib/server/collab/governance';
import { CollabServer } from '../../src/lib/server/collab/server';
import { decision } from '../../src/lib/server/db/schema';
import {
	closeDueEverywhere,
	closeDueForCoach,
	closeDueRounds,
	closeDueRoundsOnRead,
	DUE_CHECK_REUSE_MS
} from '../../src/lib/server/governance/deadlines';
import * as decisions from '../../src/lib/server/governance/decisions';
import * as teamChanges from '../../src/lib/server/governance/team-changes';
import { gatherInputs } from '../../src/lib/server/health/health';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { personWithSession } from '../helpers/collab-harness';
import { createTestDatabase, testTarget } from '../helpers/database';
import { teamOf as formTeamOf } from '../helpers/team';

// Deadlines close on time, on every read path: rounds whose deadline passed are closed by one
// server function (closeDueRounds, on the pure rule roundDue) that the guard of every team route,
// the coach's pages, the opening of a live document and the timer all run. The clock is injected.

const START = new Date('2026-11-02T09:00:00.000Z');
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let collab: CollabServer;
let server: http.Server;
let origin: string;
let mirror: decisions.Mirror;
/** The clock every read path below sees. */
let clock = START;
const clients: Client[] = [];
let n = 0;

beforeAll(async () => {
	database = await createTestDatabase();
	collab = new CollabServer({
		store: new PostgresDocStore(database.db),
		authorize: createAuthorizer({
			db: database.db,
			idleTimeoutMs: 12 * 3_600_000,
			origin: null,
			// As instance.ts wires it, with the test's clock.
			beforeAccess: (teamId) => closeDueRoundsOnRead(database.db, mirror, teamId, clock)
		}),
		log: { info: () => {}, warn: () => {}, error: (...args: unknown[]) => console.error(...args) }
	});
	mirror = governanceMirror(collab);
	server = http.createServer((_q, r) => r.writeHead(404).end());
	server.on('upgrade', (q, s, h: Buffer) => void collab.handleUpgrade(q, s, h));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	for (const c of clients) c.destroy();
	await collab?.close();
	server?.closeAllConnections();
	await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
	await database?.dispose();
});

const teamOf = (size: number) => formTeamOf(database.db, size);

async function answer(teamId: string, decisionId: string, ids: string[], now: Date) {
	const d = await decisions.read(database.db, mirror, { teamId, decisionId, now });
	if (d!.stage !== 'round')
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: d!.proposerId,
			move: { type: 'open-round' },
			now
		});
	for (const id of ids)
		await decisions.move(database.db, mirror, {
			teamId,
			decisionId,
			userId: id,
			move: { type: 'answer', version: 1, kind: 'consent', reason: '' },
			now
		});
}

/** Two async rounds in one team: a coach's access (2 of 3 consent) and one nobody answered. */
async function twoRounds() {
	const { teamId, people } = await teamOf(3);
	const coach = await personWithSession(database.db, 'Claire Coach', `coach${++n}@example.org`);
	const link = await invitations.create(database.db, {
		teamId,
		kind: 'coach',
		createdBy: people[0]!.id
	});
	await invitations.accept(database.db, { token: link.token, userId: coach.id, profile: null });
	const access = await teamChanges.proposeCoachAccess(database.db, mirror, {
		teamId,
		coachId: coach.id,
		invitedBy: people[0]!.id,
		title: 'Accès coach',
		driver: 'Invitée',
		text: 'Accès coach',
		now: START
	});
	await answer(teamId, access!.id, [people[0]!.id, people[1]!.id], START);
	const silent = await decisions.propose(database.db, mirror, {
		teamId,
		proposerId: people[0]!.id,
		title: 'Tournée du samedi',
		driver: 'Samedis chargés',
		text: 'Deux le samedi',
		area: 'rota',
		reviewDate: '2027-06-01',
		mode: 'async',
		deadline: new Date(START.getTime() + DAY_MS).toISOString(),
		now: START
	});
	await answer(teamId, silent.id, [], START);
	return {
		teamId,
		people,
		coach,
		accessId: access!.id,
		silentId: silent.id,
		/** After both deadlines (the coach's access runs COACH_DECISION_DAYS). */
		after: new Date(Date.parse(access!.deadline!) + 60_000)
	};
}

const stageOf = async (id: string) =>
	(await database.db.select({ stage: decision.stage }).from(decision).where(eq(decision.id, id)))[0]
		?.stage;

function teamRequest(teamId: string, userId: string, route = '/teams/[teamId]/decisions') {
	return {
		route: { id: route },
		params: { teamId },
		url: new URL(`http://localhost/teams/${teamId}`),
		locals: { user: { id: userId }, session: null, team: null }
	} as unknown as RequestEvent;
}

describe('rounds whose deadline passed', () => {
	it('stay open before the deadline, on every read path', async () => {
		const t = await twoRounds();
		const before = new Date(START.getTime() + DAY_MS - 60_000);
		expect(await closeDueRounds(database.db, mirror, { teamIds: [t.teamId], now: before })).toEqual(
			[]
		);
		expect(await closeDueEverywhere(database.db, mirror, before)).toEqual([]);
		expect(await stageOf(t.silentId)).toBe('round');
		expect(await stageOf(t.accessId)).toBe('round');
		expect(await teams.access(database.db, t.coach.id, t.teamId)).toBeNull();
	});

	it('close on the decision list, the team page, the health figures and coach access alike (guard)', async () => {
		const t = await twoRounds();
		clock = t.after;
		// Nothing closed them yet: the stored stage is stale, as it was when only the decision's page closed it.
		expect(await stageOf(t.accessId)).toBe('round');
		expect(await stageOf(t.silentId)).toBe('round');

		// A member opens any team page (list, team page, health…): the guard closes the team's due rounds first.
		const event = teamRequest(t.teamId, t.people[2]!.id);
		await guardTeamRoute(database.db, event, {
			beforeAccess: (teamId) => closeDueRoundsOnRead(database.db, mirror, teamId, clock)
		});
		const list = await decisions.list(database.db, { teamId: t.teamId });
		expect(Object.fromEntries(list.map((d) => [d.id, d.stage]))).toEqual({
			[t.accessId]: 'adopted',
			[t.silentId]: 'lapsed'
		});
		const reminders = await decisions.reminders(database.db, {
			teamId: t.teamId,
			userId: t.people[2]!.id,
			today: '2026-11-20',
			now: clock
		});
		expect(reminders.toAnswer).toEqual([]);
		const inputs = await gatherInputs(database.db, collab, {
			teamId: t.teamId,
			week: '2026-W48',
			now: clock
		});
		expect(inputs.decisions.map((d) => d.state.stage).sort()).toEqual(['adopted', 'lapsed']);
		// The coach's access was that decision: carried out, closed by nobody at the deadline.
		expect((await teams.access(database.db, t.coach.id, t.teamId))?.kind).toBe('coach');
		const events = await decisions.events(database.db, t.accessId);
		expect(events.slice(-2).map((e) => [e.userId, e.move])).toEqual([
			[null, { type: 'deadline', stage: 'adopted' }],
			[null, { type: 'carried-out', done: true }]
		]);
		// Read again: closed once, not twice.
		await closeDueRounds(database.db, mirror, { teamIds: [t.teamId], now: clock });
		expect((await decisions.events(database.db, t.accessId)).length).toBe(events.length);
	});

	it('on a read path, are checked once per burst yet never seen open past their deadline', async () => {
		const { teamId, people } = await teamOf(2);
		const t0 = new Date(START.getTime() + 7 * DAY_MS);
		const soon = await decisions.propose(database.db, mirror, {
			teamId,
			proposerId: people[0]!.id,
			title: 'Clés du local',
			driver: 'Clés perdues',
			text: 'Une boîte à clés',
			area: 'team',
			reviewDate: '2027-06-01',
			mode: 'async',
			deadline: new Date(t0.getTime() + 4_000).toISOString(),
			now: t0
		});
		await answer(teamId, soon.id, [], t0);
		await closeDueRoundsOnRead(database.db, mirror, teamId, t0);
		// A round started after that check, due before the check would be reused.
		const later = await decisions.propose(database.db, mirror, {
			teamId,
			proposerId: people[0]!.id,
			title: 'Trousse de secours',
			driver: 'Trousse vide',
			text: 'Une trousse par voiture',
			area: 'team',
			reviewDate: '2027-06-01',
			mode: 'async',
			deadline: new Date(t0.getTime() + 6_000).toISOString(),
			now: t0
		});
		await answer(teamId, later.id, [], t0);
		// Within the reuse time and before the first deadline: the check made at t0 holds.
		await closeDueRoundsOnRead(database.db, mirror, teamId, new Date(t0.getTime() + 3_000));
		expect(await stageOf(soon.id)).toBe('round');
		// The first deadline passed: the next read closes it, though the reuse time has not run out.
		const t5 = new Date(t0.getTime() + 5_000);
		await closeDueRoundsOnRead(database.db, mirror, teamId, t5);
		expect(await stageOf(soon.id)).toBe('lapsed');
		expect(await stageOf(later.id)).toBe('round');
		// The later round was due at t0 + 6 s; the check made at t5 saw it and is due again then.
		await closeDueRoundsOnRead(database.db, mirror, teamId, new Date(t0.getTime() + 6_500));
		expect(await stageOf(later.id)).toBe('lapsed');
		expect(DUE_CHECK_REUSE_MS).toBeGreaterThan(6_000);
	});

	it('close for a coach whose access waits on one, before their pages list the teams', async () => {
		const t = await twoRounds();
		clock = t.after;
		expect((await teams.listForUser(database.db, t.coach.id)).coach).toEqual([]);
		const closed = await closeDueForCoach(database.db, mirror, { userId: t.coach.id, now: clock });
		expect(closed.map((c) => c.decision.id).sort()).toEqual([t.accessId, t.silentId].sort());
		expect((await teams.listForUser(database.db, t.coach.id)).coach.map((x) => x.id)).toEqual([
			t.teamId
		]);
	});

	it('close when a live document opens, and the governance document shows it', async () => {
		const t = await twoRounds();
		clock = t.after;
		const board = openDocument(origin, `team/${t.teamId}/governance`, t.people[1]!.token);
		clients.push(board);
		await board.synced;
		await waitFor(() => {
			const d = board.doc.getMap('decisions').get(t.accessId) as { stage?: string } | undefined;
			return d?.stage === 'adopted';
		}, 'the adopted decision on the governance board');
		expect(await stageOf(t.silentId)).toBe('lapsed');
	});

	it('close by the timer with nobody reading, one instance at a time', async () => {
		const t = await twoRounds();
		const closed = await closeDueEverywhere(database.db, mirror, t.after);
		// Every team's due rounds (the first test's team left two open), this team's among them.
		expect(closed?.map((c) => c.decision.id)).toEqual(
			expect.arrayContaining([t.accessId, t.silentId])
		);
		expect(await stageOf(t.accessId)).toBe('adopted');
		expect(await closeDueEverywhere(database.db, mirror, t.after)).toEqual([]);
	});

	it.runIf(testTarget() === 'postgres')(
		'skips the tick while another instance holds the lock',
		async () => {
			const t = await twoRounds();
			let release: () => void = () => {};
			const held = new Promise<void>((resolve) => (release = resolve));
			let locked: () => void = () => {};
			const isLocked = new Promise<void>((resolve) => (locked = resolve));
			const holder = database.db.transaction(async (tx) => {
				// The same key closeDueEverywhere takes, held as another instance's tick would.
				await tx.execute(sql`select pg_advisory_xact_lock(${0x6b72696e67646c})`);
				locked();
				await held;
			});
			await isLocked;
			expect(await closeDueEverywhere(database.db, mirror, t.after)).toBeNull();
			expect(await stageOf(t.accessId)).toBe('round');
			release();
			await holder;
			const closed = await closeDueEverywhere(database.db, mirror, t.after);
			expect(closed?.map((c) => c.decision.id)).toEqual(
				expect.arrayContaining([t.accessId, t.silentId])
			);
		}
	);
});
