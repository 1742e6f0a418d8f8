import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../helpers/browser-like';
import { demo, logInAs } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';
import { MEMBER_PAGE_HEADER } from '../../../src/lib/domain/offline-cache';

// The server's side of "installable, and it opens offline", against the built app: the manifest,
// the worker script, the offline page, which pages the worker may keep, and the logout's request to
// clear the device. The worker itself runs in Chromium: tests/e2e/offline.spec.ts.

let server: RunningServer;
beforeAll(async () => {
	server = await startServer();
});
afterAll(async () => {
	await server?.stop();
});

describe('installable', () => {
	it('serves the manifest in the asker’s language, starting on the member’s day', async () => {
		const fr = await fetch(`${server.origin}/manifest.webmanifest`);
		expect(fr.status).toBe(200);
		expect(fr.headers.get('content-type')).toContain('application/manifest+json');
		const manifest = (await fr.json()) as Record<string, unknown> & {
			icons: { src: string; sizes: string; purpose: string }[];
		};
		expect(manifest).toMatchObject({
			name: 'Kring',
			lang: 'fr',
			start_url: '/day',
			display: 'standalone',
			theme_color: '#0f5e59'
		});
		expect(manifest.description).toContain('soins à domicile');
		const en = await (
			await fetch(`${server.origin}/manifest.webmanifest`, { headers: { cookie: 'kring_lang=en' } })
		).json();
		expect(en).toMatchObject({ lang: 'en', description: expect.stringContaining('home-care') });
		// every icon it names is a real PNG of the size it says, a maskable one among them
		expect(manifest.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(
			expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable'])
		);
		for (const icon of manifest.icons) {
			const png = Buffer.from(await (await fetch(server.origin + icon.src)).arrayBuffer());
			expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
			const [w, h] = icon.sizes.split('x').map(Number);
			expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([w, h]);
		}
	});

	it('links the manifest and the icons from every page, and the CSP lets the worker run', async () => {
		const page = await fetch(`${server.origin}/login`);
		const html = await page.text();
		expect(html).toContain('rel="manifest" href="/manifest.webmanifest"');
		expect(html).toMatch(/rel="apple-touch-icon" href="[^"]*\/icons\/apple-touch-icon\.png"/);
		const csp = page.headers.get('content-security-policy') ?? '';
		expect(csp).toContain("worker-src 'self'");
		expect(csp).toContain("manifest-src 'self'");
		const worker = await fetch(`${server.origin}/service-worker.js`);
		expect(worker.status).toBe(200);
		expect(worker.headers.get('content-type')).toContain('javascript');
	});
});

describe('what the worker may keep', () => {
	it('marks pages rendered for a member, never guest pages, redirects or data', async () => {
		const guest = new HttpClient(server.origin);
		const login = await guest.get('/login');
		expect(login.status).toBe(200);
		expect(login.headers.get(MEMBER_PAGE_HEADER)).toBeNull();
		expect((await guest.get('/')).headers.get(MEMBER_PAGE_HEADER)).toBeNull();

		const member = await logInAs(server.origin, demo.memberA);
		const home = await member.get('/');
		expect(home.status).toBe(200);
		expect(home.headers.get(MEMBER_PAGE_HEADER)).toMatch(/^\S+$/);
		const redirect = await member.get('/login');
		expect(redirect.status).toBe(303);
		expect(redirect.headers.get(MEMBER_PAGE_HEADER)).toBeNull();
		const data = await member.get('/__data.json', { accept: '*/*' });
		expect(data.status).toBe(200);
		expect(data.headers.get(MEMBER_PAGE_HEADER)).toBeNull();
	});

	it('renders the offline page for anyone, in their language', async () => {
		const fr = await fetch(`${server.origin}/offline`);
		expect(fr.status).toBe(200);
		expect(await fr.text()).toContain('Pas de réseau pour cette page');
		const en = await fetch(`${server.origin}/offline`, { headers: { cookie: 'kring_lang=en' } });
		expect(await en.text()).toContain('No network for this page');
	});
});

describe('logging out clears the device', () => {
	it('asks the login page, once, to clear the device after the logout', async () => {
		const member = await logInAs(server.origin, demo.memberA);
		const out = await member.post('/logout', {});
		expect(out.status).toBe(303);
		expect(out.headers.get('location')).toBe('/login');
		const asked = out.headers.getSetCookie().find((c) => c.startsWith('kring_clear_device=1'));
		expect(asked).toMatch(/HttpOnly/i);
		expect(asked).toMatch(/SameSite=Strict/i);

		const first = await member.get('/login');
		expect(await first.text()).toMatch(/clearDevice:\s*true/);
		const again = await member.get('/login');
		expect(await again.text()).toMatch(/clearDevice:\s*false/);
	});

	it('a guest who did not log out is not asked to clear anything', async () => {
		const guest = new HttpClient(server.origin);
		expect(await (await guest.get('/login')).text()).toMatch(/clearDevice:\s*false/);
	});
});
