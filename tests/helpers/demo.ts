import { DEMO_COACH, DEMO_PASSWORD, DEMO_TEAMS, demoEmail } from '../../src/lib/server/seed/people';
import { HttpClient } from './browser-like';

export const demo = {
	password: DEMO_PASSWORD,
	/** First member of the first demo team (Croix-Rousse). */
	memberA: demoEmail(DEMO_TEAMS[0]!.people[0]!.name),
	secondMemberA: demoEmail(DEMO_TEAMS[0]!.people[1]!.name),
	/** First member of the second demo team (Villeurbanne Nord). */
	memberB: demoEmail(DEMO_TEAMS[1]!.people[0]!.name),
	coach: demoEmail(DEMO_COACH.name),
	teamAName: DEMO_TEAMS[0]!.name
};

/** Logs in as a demo user and returns the ids of the teams linked from their home page. */
export async function logInAs(origin: string, email: string): Promise<HttpClient> {
	const client = new HttpClient(origin);
	await client.logIn(email, demo.password);
	return client;
}

export async function teamIdsOf(client: HttpClient): Promise<string[]> {
	const html = await (await client.get('/')).text();
	// team ids are 24 base32 characters (so /teams/new is not one)
	return [...html.matchAll(/href="\/teams\/([a-z2-7]{24})"/g)].map((m) => m[1]!);
}
