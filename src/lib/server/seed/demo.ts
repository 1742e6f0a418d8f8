import { todayIn } from '$lib/domain/time-zone';
import type { Db } from '$lib/server/db';
import type { CollabServer } from '$lib/server/collab/server';
import type { AdviceMirror } from '$lib/server/governance/advice';
import type { Mirror } from '$lib/server/governance/decisions';
import { writeDemoAdvice } from './advice';
import { writeDemoCaseloads } from './caseload';
import { writeDemoCoachAccess, writeDemoDecisions } from './decisions';
import { writeDemoHealth } from './health';
import { writeDemoKaizen } from './kaizen';
import { writeDemoMeetings } from './meetings';
import * as people from './people';
import { writeDemoPulse } from './pulse';
import { writeDemoRoles } from './roles';
import { writeDemoRotas } from './rota';
import { writeDemoBoards } from '$lib/server/board/move-notes';

export interface SeedServices {
	collab: CollabServer;
	decisionMirror: Mirror;
	adviceMirror: AdviceMirror;
}

/**
 * The demo organisation: seeded into an empty database (people, teams, caseloads, decisions,
 * roles, advice, meetings, rotas, pulse and health history), and its logins printed whenever
 * it is there.
 */
export async function seedDemo(db: Db, services: SeedServices): Promise<void> {
	const { collab } = services;
	if (await people.isEmpty(db)) {
		const demo = await people.demo(db);
		await writeDemoCaseloads(
			collab,
			demo.teams.map((t) => ({ id: t.id, name: t.name, memberIds: t.members.map((m) => m.id) }))
		);
		for (const [index, t] of demo.teams.entries()) {
			const memberIds = t.members.map((m) => m.id);
			await writeDemoDecisions(db, services.decisionMirror, t.id, memberIds);
			await writeDemoCoachAccess(db, services.decisionMirror, {
				teamId: t.id,
				memberIds,
				coach: demo.coach
			});
			// The second team is the sliding one (src/lib/server/seed/health.ts): its elections lag.
			await writeDemoRoles(db, t.id, memberIds, todayIn(), { lapsedPlanner: index % 2 === 1 });
			await writeDemoAdvice(db, services.adviceMirror, t.id, memberIds);
			await writeDemoMeetings(db, collab, { id: t.id, memberIds });
		}
		await writeDemoKaizen(
			db,
			services,
			demo.teams.map((t) => ({ id: t.id, memberIds: t.members.map((m) => m.id) })),
			todayIn()
		);
		await writeDemoBoards(
			collab,
			demo.teams.map((t) => ({ id: t.id, author: t.members.at(-1)?.name ?? '' }))
		);
		await writeDemoRotas(
			db,
			collab,
			demo.teams.map((t) => t.id)
		);
		await writeDemoPulse(
			db,
			demo.teams.map((t) => ({ id: t.id, memberIds: t.members.map((m) => m.id) }))
		);
		await writeDemoHealth(
			db,
			demo.teams.map((t) => t.id),
			collab
		);
	}
	if (await people.present(db)) console.info(people.describeLogins());
}
