import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../helpers/browser-like';
import { startServer, type RunningServer } from '../../helpers/server';

let server: RunningServer;
let n = 0;

beforeAll(async () => {
	server = await startServer({ env: { KRING_SEED: 'never' } });
});
afterAll(async () => {
	await server?.stop();
});

async function newPerson(): Promise<HttpClient> {
	const client = new HttpClient(server.origin);
	const response = await client.post('/signup', {
		name: `Personne ${++n}`,
		email: `personne${n}@example.org`,
		password: 'un mot de passe solide'
	});
	expect(response.status).toBe(303);
	return client;
}

async function createTeam(founder: HttpClient, name: string): Promise<string> {
	const response = await founder.post('/teams/new', {
		name,
		profession: 'nurse',
		contractHours: '35'
	});
	expect(response.status).toBe(303);
	return response.headers.get('location')!;
}

async function invite(member: HttpClient, teamPath: string): Promise<string> {
	const response = await member.post(`${teamPath}?/invite`, { kind: 'member' });
	const match = /\/invite\/([a-z2-7]+)/.exec(await response.text());
	expect(match).not.toBeNull();
	return `/invite/${match![1]}`;
}

describe('the team page', () => {
	it('warns only once the team passes 12 members', async () => {
		const founder = await newPerson();
		const team = await createTeam(founder, 'Équipe Grandissante');
		for (let i = 2; i <= 12; i++) {
			const joiner = await newPerson();
			const response = await joiner.post(await invite(founder, team), {
				profession: 'care_aide',
				contractHours: '28'
			});
			expect(response.headers.get('location')).toBe(team);
		}
		const at12 = await (await founder.get(team)).text();
		expect(at12).toContain('12 membres');
		expect(at12).not.toContain('au-delà de 12');

		const thirteenth = await newPerson();
		await thirteenth.post(await invite(founder, team), {
			profession: 'nurse',
			contractHours: '35'
		});
		const at13 = await (await founder.get(team)).text();
		expect(at13).toContain('13 membres');
		expect(at13).toContain('L’équipe compte 13 membres, au-delà de 12.');
	});

	it('lets a member update their own profession and hours', async () => {
		const founder = await newPerson();
		const team = await createTeam(founder, 'Équipe Profil');
		const response = await founder.post(`${team}?/profile`, {
			profession: 'care_aide',
			contractHours: '17,5'
		});
		expect(response.status).toBe(200);
		const page = await (await founder.get(team)).text();
		expect(page).toContain('Aide-soignant·e · 17\u00a0h\u00a030 par semaine');
	});

	it('lets a member leave, after which the team is hidden from them', async () => {
		const founder = await newPerson();
		const team = await createTeam(founder, 'Équipe Départ');
		const leaver = await newPerson();
		await leaver.post(await invite(founder, team), { profession: 'nurse', contractHours: '35' });
		expect((await leaver.get(team)).status).toBe(200);
		const response = await leaver.post(`${team}?/leave`, {});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
		expect((await leaver.get(team)).status).toBe(404);
		expect(await (await founder.get(team)).text()).toContain('1 membre');
	});

	it('makes a coach who waits for the team’s decision, and cannot open the team', async () => {
		const founder = await newPerson();
		const team = await createTeam(founder, 'Équipe Coachée');
		const response = await founder.post(`${team}?/invite`, { kind: 'coach' });
		const link = /\/invite\/[a-z2-7]+/.exec(await response.text())![0];
		const coach = await newPerson();
		expect(await (await coach.get(link)).text()).toContain(
			'Accompagner Équipe Coachée comme coach'
		);
		const accepted = await coach.post(link, {});
		expect(accepted.headers.get('location')).toBe('/');
		expect(await (await coach.get('/')).text()).toContain(
			'Équipe Coachée\u00a0: en attente de la décision de l’équipe'
		);
		expect((await coach.get(team)).status).toBe(404);
		expect((await coach.get(`${team}/health`)).status).toBe(404);
		// The team sees who waits, and the decision the inviter proposed for it.
		const page = await (await founder.get(team)).text();
		expect(page).toContain(`Personne ${n} attend la décision de l’équipe`);
		const decision = /href="(\/teams\/[a-z2-7]+\/decisions\/[a-z2-7]+)"/.exec(page)?.[1] ?? '';
		expect(await (await founder.get(decision)).text()).toContain(
			`Donner l’accès à Personne ${n} (coach)`
		);
	});
});
