import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../helpers/browser-like';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

// Every form, fed empty, oversized and malformed input: a clear answer, never a 500.

let server: RunningServer;
let member: HttpClient;
let teamId: string;

const HUGE = 'x'.repeat(1024 * 1024); // over the 512 KB body limit
const LONG = 'x'.repeat(100 * 1024); // under it, but far too long for any field

beforeAll(async () => {
	server = await startServer();
	member = await logInAs(server.origin, demo.memberA);
	teamId = (await teamIdsOf(member))[0]!;
});
afterAll(async () => {
	await server?.stop();
});

async function expectClearRefusal(response: Response, ...phrases: string[]): Promise<string> {
	expect(response.status).toBeGreaterThanOrEqual(400);
	expect(response.status).toBeLessThan(500);
	const body = await response.text();
	for (const phrase of phrases) expect(body).toContain(phrase);
	return body;
}

/** The malformed bodies every form must survive. */
function malformed(origin: string, path: string, cookie?: string) {
	// accept: text/html, as a browser's plain form post (JavaScript's enhanced posts get JSON)
	const headers = {
		origin,
		accept: 'text/html',
		...(cookie ? { cookie: `session=${cookie}` } : {})
	};
	return [
		fetch(origin + path, {
			method: 'POST',
			redirect: 'manual',
			headers: { ...headers, 'content-type': 'multipart/form-data; boundary=nope' },
			body: '--wrong\r\ngarbage'
		}),
		fetch(origin + path, {
			method: 'POST',
			redirect: 'manual',
			headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
			body: '%%%=%E0%A4%A&&=='
		}),
		fetch(origin + path, {
			method: 'POST',
			redirect: 'manual',
			headers: { ...headers, 'content-type': 'application/json' },
			body: '{"email": 1}'
		})
	];
}

describe('sign-up', () => {
	const anonymous = () => new HttpClient(server.origin);

	it('names each missing field', async () => {
		await expectClearRefusal(await anonymous().post('/signup', {}), 'Ce champ est à remplir.');
	});

	it('says a 100 KB name is too long', async () => {
		const body = await expectClearRefusal(
			await anonymous().post('/signup', {
				name: LONG,
				email: 'a@example.org',
				password: 'a long password indeed'
			}),
			'C’est trop long.'
		);
		expect(body.length).toBeLessThan(60_000); // the oversized value is not echoed back whole
	});

	it('refuses a 1 MB name without reading it whole, and says why', async () => {
		await expectClearRefusal(
			await anonymous().post('/signup', { name: HUGE, email: 'a@example.org', password: 'pw' }),
			'Le formulaire n’a pas pu être lu'
		);
	});

	it('says what is wrong with a malformed email or a short password', async () => {
		await expectClearRefusal(
			await anonymous().post('/signup', {
				name: 'Aïcha',
				email: 'not-an-email',
				password: 'short'
			}),
			'Cette adresse e-mail ne semble pas valide.',
			'Le mot de passe est trop court.'
		);
	});

	it('survives malformed bodies', async () => {
		for (const response of await Promise.all(malformed(server.origin, '/signup'))) {
			await expectClearRefusal(response);
		}
	});
});

describe('login', () => {
	it('names missing fields and survives malformed bodies', async () => {
		await expectClearRefusal(
			await new HttpClient(server.origin).post('/login', { email: '' }),
			'Ce champ est à remplir.'
		);
		for (const response of await Promise.all(malformed(server.origin, '/login'))) {
			await expectClearRefusal(response);
		}
		await expectClearRefusal(
			await new HttpClient(server.origin).post('/login', { email: HUGE, password: 'x' })
		);
	});

	it('answers an unknown email and a wrong password with the same page', async () => {
		const unknownEmail = 'personne@example.org';
		const unknown = await new HttpClient(server.origin).post('/login', {
			email: unknownEmail,
			password: 'quelque chose'
		});
		const wrong = await new HttpClient(server.origin).post('/login', {
			email: demo.secondMemberA,
			password: 'quelque chose'
		});
		expect(unknown.status).toBe(wrong.status);
		// Apart from the echoed email and the per-response CSP nonce, the two pages are identical.
		const normalise = (html: string, email: string) =>
			html.replaceAll(email, 'EMAIL').replace(/nonce(=|-)"?[A-Za-z0-9+/=]+/g, 'NONCE');
		const a = normalise(
			await expectClearRefusal(unknown, 'Adresse e-mail ou mot de passe incorrect.'),
			unknownEmail
		);
		const b = normalise(
			await expectClearRefusal(wrong, 'Adresse e-mail ou mot de passe incorrect.'),
			demo.secondMemberA
		);
		expect(a).toBe(b);
	});

	it('answers 429 with the time to retry after 5 failures on an account', async () => {
		const client = new HttpClient(server.origin);
		for (let i = 0; i < 5; i++) {
			expect(
				(await client.post('/login', { email: 'cible@example.org', password: `essai ${i}` })).status
			).toBe(400);
		}
		const response = await client.post('/login', {
			email: 'cible@example.org',
			password: 'encore'
		});
		expect(response.status).toBe(429);
		expect(await response.text()).toMatch(/Vous pourrez réessayer à \d{1,2}\u00a0h\u00a0\d{2}/);
	});
});

describe('team forms', () => {
	it('create a team: empty, oversized, control characters, bad hours', async () => {
		await expectClearRefusal(
			await member.post('/teams/new', { name: '' }),
			'Ce champ est à remplir.'
		);
		await expectClearRefusal(await member.post('/teams/new', { name: LONG }), 'C’est trop long.');
		await expectClearRefusal(
			await member.post('/teams/new', { name: 'A\u0007B' }),
			'Cette valeur n’est pas valide.'
		);
		await expectClearRefusal(
			await member.post('/teams/new', {
				name: 'Équipe',
				profession: 'chef',
				contractHours: 'beaucoup'
			}),
			'Choisissez un métier dans la liste.',
			'Indiquez un nombre d’heures'
		);
		await expectClearRefusal(
			await member.post('/teams/new', { name: HUGE }),
			'Le formulaire n’a pas pu être lu'
		);
		for (const response of await Promise.all(
			malformed(server.origin, '/teams/new', member.sessionCookie)
		)) {
			await expectClearRefusal(response);
		}
	});

	it('team page actions: bad profile, bad invitation kind, oversized ids', async () => {
		const page = `/teams/${teamId}`;
		await expectClearRefusal(
			await member.post(`${page}?/profile`, { profession: 'nurse', contractHours: '100' }),
			'Indiquez un nombre d’heures'
		);
		await expectClearRefusal(await member.post(`${page}?/profile`, {}), 'Ce champ est à remplir.');
		await expectClearRefusal(await member.post(`${page}?/invite`, { kind: 'boss' }));
		await expectClearRefusal(await member.post(`${page}?/revoke`, { invitationId: LONG }));
		for (const action of ['profile', 'invite', 'revoke']) {
			for (const response of await Promise.all(
				malformed(server.origin, `${page}?/${action}`, member.sessionCookie)
			)) {
				await expectClearRefusal(response);
			}
		}
	});

	it('invitation page: unknown token is a 404, a bad profile is named', async () => {
		expect((await member.get('/invite/unknown-token')).status).toBe(404);
		expect((await member.get(`/invite/${'x'.repeat(5000)}`)).status).toBe(404);
		const created = await member.post(`/teams/${teamId}?/invite`, { kind: 'member' });
		expect(created.status).toBe(200);
		const token = /\/invite\/([a-z0-9]+)/.exec(await created.text())![1]!;
		const newcomer = new HttpClient(server.origin);
		expect(
			(
				await newcomer.post('/signup', {
					name: 'Nouvelle',
					email: 'nouvelle@example.org',
					password: 'un mot de passe solide'
				})
			).status
		).toBe(303);
		await expectClearRefusal(
			await newcomer.post(`/invite/${token}`, { profession: 'nurse', contractHours: '-3' }),
			'Indiquez un nombre d’heures'
		);
		for (const response of await Promise.all(
			malformed(server.origin, `/invite/${token}`, newcomer.sessionCookie)
		)) {
			await expectClearRefusal(response);
		}
		// the link survived all of that and still works
		expect(
			(await newcomer.post(`/invite/${token}`, { profession: 'care_aide', contractHours: '30' }))
				.status
		).toBe(303);
	});
});

describe('account forms', () => {
	it('rename, password and erasure refuse bad input and a wrong password', async () => {
		const user = new HttpClient(server.origin);
		expect(
			(
				await user.post('/signup', {
					name: 'Compte Test',
					email: 'compte@example.org',
					password: 'mot de passe initial'
				})
			).status
		).toBe(303);
		await expectClearRefusal(
			await user.post('/account?/rename', { name: '' }),
			'Ce champ est à remplir.'
		);
		await expectClearRefusal(
			await user.post('/account?/rename', { name: LONG }),
			'C’est trop long.'
		);
		await expectClearRefusal(
			await user.post('/account?/password', {
				currentPassword: 'mot de passe initial',
				newPassword: 'nouveau mot de passe',
				confirmPassword: 'autre chose'
			}),
			'Les deux mots de passe ne sont pas identiques.'
		);
		await expectClearRefusal(
			await user.post('/account?/password', {
				currentPassword: 'pas le bon',
				newPassword: 'nouveau mot de passe',
				confirmPassword: 'nouveau mot de passe'
			}),
			'Cette valeur n’est pas valide.'
		);
		await expectClearRefusal(await user.post('/account?/erase', { password: 'pas le bon' }));
		for (const action of ['rename', 'password', 'erase']) {
			for (const response of await Promise.all(
				malformed(server.origin, `/account?/${action}`, user.sessionCookie)
			)) {
				await expectClearRefusal(response);
			}
		}
		// still here, still able to log in with the original password
		expect((await user.get('/account')).status).toBe(200);
		await new HttpClient(server.origin).logIn('compte@example.org', 'mot de passe initial');
	});

	it('the language switch ignores nonsense', async () => {
		const client = new HttpClient(server.origin);
		const response = await client.post('/language', { locale: 'xx', next: '//evil.example' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/');
	});
});
