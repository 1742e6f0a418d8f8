import { describe, expect, it } from 'vitest';
import { refuseCrossSiteForm } from '../../src/lib/server/auth/csrf';
import { devOutboxAllowed } from '../../src/lib/server/mail/dev-outbox';

const APP = 'https://kring.example.fr';
const post = (path: string, headers: Record<string, string>) => ({
	url: new URL(APP + path),
	request: new Request(APP + path, { method: 'POST', headers, body: 'List-Unsubscribe=One-Click' })
});
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const token = 'dXNlcjpkaWdlc3Q.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

describe('the same-origin rule for forms', () => {
	it('refuses a cross-site or origin-less form post, as SvelteKit does', () => {
		expect(
			refuseCrossSiteForm(post('/login', { ...form, origin: 'https://evil.example' }))?.status
		).toBe(403);
		expect(refuseCrossSiteForm(post('/login', form))?.status).toBe(403);
		expect(
			refuseCrossSiteForm(post('/login', { 'content-type': 'multipart/form-data; boundary=x' }))
				?.status
		).toBe(403);
	});

	it('lets same-origin forms and JSON through', () => {
		expect(refuseCrossSiteForm(post('/login', { ...form, origin: APP }))).toBeNull();
		expect(refuseCrossSiteForm(post('/api/x', { 'content-type': 'application/json' }))).toBeNull();
	});

	it('lets a mail provider’s one-click unsubscribe POST through, and nothing else', () => {
		expect(refuseCrossSiteForm(post(`/unsubscribe/${token}`, form))).toBeNull();
		expect(refuseCrossSiteForm(post(`/unsubscribe/${token}?/other`, form))).toBeNull();
		expect(refuseCrossSiteForm(post(`/unsubscribe/${token}/x`, form))?.status).toBe(403);
		expect(refuseCrossSiteForm(post('/unsubscribe', form))?.status).toBe(403);
	});
});

describe('the dev outbox', () => {
	const local = {
		smtpUrl: null,
		origin: 'http://localhost:3000',
		requestHost: 'localhost',
		clientAddress: '127.0.0.1'
	};
	it('shows on this machine, without SMTP, for `npm start`’s local address only', () => {
		expect(devOutboxAllowed(local)).toBe(true);
		expect(devOutboxAllowed({ ...local, clientAddress: '::1' })).toBe(true);
		expect(devOutboxAllowed({ ...local, smtpUrl: 'smtp://mail.example:25' })).toBe(false);
		expect(devOutboxAllowed({ ...local, clientAddress: '192.168.1.20' })).toBe(false);
		// Deployed behind a proxy on the same machine: every request looks local, the ORIGIN does not.
		expect(devOutboxAllowed({ ...local, origin: 'https://kring.example.fr' })).toBe(false);
		expect(devOutboxAllowed({ ...local, requestHost: 'kring.example.fr' })).toBe(false);
	});
});
