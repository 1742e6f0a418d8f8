import { count, eq } from 'drizzle-orm';
import type { Profession } from '$lib/domain/profession';
import type { Db } from '$lib/server/db';
import { coaching, membership, team, user } from '$lib/server/db/schema';
import { hashPassword } from '$lib/server/auth/password';
import { newId } from '$lib/server/auth/random';

/** Shared by every demo account; printed at start. Demo data only, never for real teams. */
export const DEMO_PASSWORD = 'kring-demo-2026';

interface DemoPerson {
	name: string;
	profession: Profession;
	hours: number;
	/** Self-employed nurses (infirmier·ère libéral·e) are not bound by the salaried rest rules. */
	selfEmployed?: boolean;
}

export const DEMO_TEAMS: { name: string; people: DemoPerson[] }[] = [
	{
		name: 'Équipe Croix-Rousse',
		people: [
			{ name: 'Aïcha Benali', profession: 'nurse', hours: 35 },
			{ name: 'Julien Moreau', profession: 'nurse', hours: 28 },
			{ name: 'Camille Lefèvre', profession: 'nurse', hours: 35 },
			{ name: 'Sophie Garnier', profession: 'care_aide', hours: 30 },
			{ name: 'Mamadou Diallo', profession: 'care_aide', hours: 35 },
			{ name: 'Élodie Roux', profession: 'care_aide', hours: 24 },
			{ name: 'Thomas Bernard', profession: 'nurse', hours: 21, selfEmployed: true },
			{ name: 'Nadia Haddad', profession: 'care_aide', hours: 35 },
			{ name: 'Lucie Fontaine', profession: 'other', hours: 17.5 }
		]
	},
	{
		name: 'Équipe Villeurbanne Nord',
		people: [
			{ name: 'Isabelle Martin', profession: 'nurse', hours: 35 },
			{ name: 'Karim Bouzid', profession: 'nurse', hours: 35 },
			{ name: 'Hélène Dubois', profession: 'nurse', hours: 28 },
			{ name: 'Océane Petit', profession: 'care_aide', hours: 35 },
			{ name: 'Yasmina Cherif', profession: 'care_aide', hours: 30 },
			{ name: 'Antoine Girard', profession: 'care_aide', hours: 24 },
			{ name: 'Marie-Claire Fabre', profession: 'nurse', hours: 17.5, selfEmployed: true },
			{ name: 'Fatou Ndiaye', profession: 'care_aide', hours: 35 },
			{ name: 'Pierre Lambert', profession: 'care_aide', hours: 28 },
			{ name: 'Manon Chevalier', profession: 'nurse', hours: 35 }
		]
	}
];

export const DEMO_COACH = { name: 'Claire Morel' };

/** `Aïcha Benali` → `aicha.benali@demo.kring.example` */
export function demoEmail(name: string): string {
	const local = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z]+/g, '.')
		.replace(/^\.|\.$/g, '');
	return `${local}@demo.kring.example`;
}

export async function isEmpty(db: Db): Promise<boolean> {
	const [row] = await db.select({ n: count() }).from(user);
	return (row?.n ?? 0) === 0;
}

export interface DemoLogins {
	password: string;
	teams: { id: string; name: string; members: { id: string; name: string; email: string }[] }[];
	coach: { id: string; name: string; email: string };
}

/** Two teams in Lyon with their members, and one coach who follows both. */
export async function demo(db: Db): Promise<DemoLogins> {
	const passwordHash = await hashPassword(DEMO_PASSWORD);
	return db.transaction(async (tx) => {
		const result: DemoLogins = {
			password: DEMO_PASSWORD,
			teams: [],
			coach: { id: '', name: DEMO_COACH.name, email: demoEmail(DEMO_COACH.name) }
		};
		const coachId = newId();
		result.coach.id = coachId;
		await tx
			.insert(user)
			.values({ id: coachId, email: result.coach.email, name: DEMO_COACH.name, passwordHash });
		for (const demoTeam of DEMO_TEAMS) {
			const teamId = newId();
			await tx.insert(team).values({ id: teamId, name: demoTeam.name });
			const people = demoTeam.people.map((p) => ({ ...p, id: newId(), email: demoEmail(p.name) }));
			await tx
				.insert(user)
				.values(people.map((p) => ({ id: p.id, email: p.email, name: p.name, passwordHash })));
			await tx.insert(membership).values(
				people.map((p) => ({
					teamId,
					userId: p.id,
					profession: p.profession,
					contractMinutes: Math.round(p.hours * 60),
					employment: p.selfEmployed === true ? ('self_employed' as const) : ('salaried' as const)
				}))
			);
			await tx.insert(coaching).values({ teamId, userId: coachId });
			result.teams.push({
				id: teamId,
				name: demoTeam.name,
				members: people.map((p) => ({ id: p.id, name: p.name, email: p.email }))
			});
		}
		return result;
	});
}

/** True when the demo coach's account exists (the demo data was seeded into this database). */
export async function present(db: Db): Promise<boolean> {
	const rows = await db
		.select({ id: user.id })
		.from(user)
		.where(eq(user.email, demoEmail(DEMO_COACH.name)))
		.limit(1);
	return rows.length > 0;
}

/** The demo logins, as printed at start. */
export function describeLogins(): string {
	const lines = ['', `Demo accounts (password for all: ${DEMO_PASSWORD})`];
	for (const t of DEMO_TEAMS) {
		lines.push(`  ${t.name}:`);
		for (const p of t.people) lines.push(`    ${demoEmail(p.name)}`);
	}
	lines.push(`  Coach of both teams: ${demoEmail(DEMO_COACH.name)}`, '');
	return lines.join('\n');
}
