import type { Profession } from '../../src/lib/domain/profession';
import type { Db } from '../../src/lib/server/db';
import * as invitations from '../../src/lib/server/teams/invitations';
import * as teams from '../../src/lib/server/teams/teams';
import { personWithSession } from './collab-harness';

export interface Profile {
	profession: Profession;
	contractMinutes: number;
}

const NURSE: Profile = { profession: 'nurse', contractMinutes: 2100 };
export const CARE_AIDE: Profile = { profession: 'care_aide', contractMinutes: 1680 };

/**
 * A team founded by `founder` (a nurse) that each of `members` joins by invitation, as in the app,
 * with their profile (a nurse unless said).
 */
export async function formTeam(
	db: Db,
	founder: { id: string },
	members: readonly ({ id: string } | readonly [{ id: string }, Profile])[],
	name = 'Équipe Test'
): Promise<string> {
	const teamId = await teams.create(db, { name, creatorId: founder.id, ...NURSE });
	for (const entry of members) {
		const [who, profile] = Array.isArray(entry) ? entry : [entry, NURSE];
		const { token } = await invitations.create(db, {
			teamId,
			kind: 'member',
			createdBy: founder.id
		});
		const accepted = await invitations.accept(db, { token, userId: who.id, profile });
		if (!accepted.ok) throw new Error(`invitation failed: ${accepted.reason}`);
	}
	return teamId;
}

let counter = 0;

/** A team of `size` nurses with sessions, named apart from every other such team of the run. */
export async function teamOf(db: Db, size: number) {
	const tag = ++counter;
	const people: { id: string; token: string }[] = [];
	for (let i = 0; i < size; i++)
		people.push(await personWithSession(db, `Membre ${tag}.${i}`, `t${tag}m${i}@example.org`));
	const teamId = await formTeam(db, people[0]!, people.slice(1), `Équipe ${tag}`);
	return { teamId, people };
}
