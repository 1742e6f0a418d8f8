import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../helpers/browser-like';
import { demo } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

let plain: RunningServer;
let behindHttps: RunningServer & { publicOrigin: string };

beforeAll(async () => {
	plain = await startServer();
	behindHttps = await startServer({ publicOrigin: 'https' });
});
afterAll(async () => {
	await Promise.all([plain?.stop(), behindHttps?.stop()]);
});

describe('security headers', () => {
	it('sends a CSP that forbids framing, plus nosniff and a strict referrer policy', async () => {
		const response = await fetch(`${plain.origin}/login`);
		expect(response.status).toBe(200);
		const csp = response.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("frame-ancestors 'none'");
		expect(csp).toContain("default-src 'self'");
		expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
		expect(csp).toContain("object-src 'none'");
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		// plain http: no HSTS (it would be ignored, and it would break a local run)
		expect(response.headers.get('strict-transport-security')).toBeNull();
	});

	it('adds HSTS and marks the session cookie Secure when served over https', async () => {
		const page = await fetch(`${behindHttps.origin}/login`);
		expect(page.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
		const login = await fetch(`${behindHttps.origin}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				origin: behindHttps.publicOrigin,
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'text/html'
			},
			body: new URLSearchParams({ email: demo.memberA, password: demo.password })
		});
		expect(login.status).toBe(303);
		const cookie = login.headers.getSetCookie().find((c) => c.startsWith('session='));
		expect(cookie).toMatch(/; Secure/i);
	});

	it('sets the session cookie httpOnly and SameSite=Lax, without Secure on plain http', async () => {
		const response = await new HttpClient(plain.origin).post('/login', {
			email: demo.memberA,
			password: demo.password
		});
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session='));
		expect(cookie).toMatch(/^session=[a-z0-9]+\.[a-z0-9]+;/);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i);
	});

	it('refuses a cross-site form post', async () => {
		const response = await fetch(`${plain.origin}/login`, {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ email: demo.memberA, password: demo.password })
		});
		expect(response.status).toBe(403);
	});
});

describe('JSON endpoints', () => {
	it('refuse a body that is not JSON', async () => {
		for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
			const response = await fetch(`${plain.origin}/api/health`, {
				method: 'POST',
				// same-site, so SvelteKit's own CSRF check lets it through to ours
				headers: { origin: plain.origin, ...(type ? { 'content-type': type } : {}) },
				body: 'x=1'
			});
			expect(response.status, type).toBe(415);
		}
	});

	it('answer GET with JSON', async () => {
		const response = await fetch(`${plain.origin}/api/health`);
		expect(response.headers.get('content-type')).toContain('application/json');
		expect(await response.json()).toEqual({ ok: true });
	});
});

describe('sessions over HTTP', () => {
	it('log out ends the session on the server, not just in the browser', async () => {
		const client = new HttpClient(plain.origin);
		await client.logIn(demo.memberA, demo.password);
		const token = client.sessionCookie!;
		expect((await client.get('/account')).status).toBe(200);
		expect((await client.post('/logout', {})).headers.get('location')).toBe('/login');
		// replaying the old cookie does not work
		const replay = await fetch(`${plain.origin}/account`, {
			redirect: 'manual',
			headers: { cookie: `session=${token}` }
		});
		expect(replay.status).toBe(303);
	});

	it('a password change ends the other sessions and keeps this one', async () => {
		const phone = new HttpClient(plain.origin);
		const office = new HttpClient(plain.origin);
		await phone.post('/signup', {
			name: 'Changement',
			email: 'change@example.org',
			password: 'premier mot de passe'
		});
		await office.logIn('change@example.org', 'premier mot de passe');
		const response = await phone.post('/account?/password', {
			currentPassword: 'premier mot de passe',
			newPassword: 'second mot de passe',
			confirmPassword: 'second mot de passe'
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('Mot de passe changé.');
		expect((await phone.get('/account')).status).toBe(200);
		expect((await office.get('/account')).status).toBe(303);
	});
});

describe('account export', () => {
	it('asks for the password again, then hands over the person’s data and no secrets', async () => {
		const client = new HttpClient(plain.origin);
		await client.logIn(demo.memberA, demo.password);
		const refused = await client.post('/account/export', { password: 'pas le bon mot de passe' });
		expect(refused.status).toBe(303);
		expect(refused.headers.get('location')).toBe('/account?export=invalid#export');
		const empty = await client.post('/account/export', {});
		expect(empty.headers.get('location')).toBe('/account?export=invalid#export');

		const response = await client.post('/account/export', { password: demo.password });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toMatch(
			/^attachment; filename="kring-\d{4}-\d{2}-\d{2}\.json"$/
		);
		const text = await response.text();
		const data = JSON.parse(text) as {
			account: { email: string };
			memberships: { team: string; profession: string; contractMinutes: number }[];
			sessions: unknown[];
		};
		expect(data.account.email).toBe(demo.memberA);
		expect(data.memberships).toEqual([
			expect.objectContaining({ team: demo.teamAName, profession: 'nurse', contractMinutes: 2100 })
		]);
		expect(data.sessions.length).toBeGreaterThan(0);
		expect(text).not.toMatch(/argon2|passwordHash|secretHash|tokenHash/);
		expect(text).not.toContain(client.sessionCookie!.split('.')[1]);
	});

	it('sends anonymous visitors to log in', async () => {
		const response = await new HttpClient(plain.origin).post('/account/export', { password: 'x' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/login/);
	});
});
