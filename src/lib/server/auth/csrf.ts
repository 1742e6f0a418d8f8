import { text, type RequestEvent } from '@sveltejs/kit';

/** What a browser form can send cross-site without a preflight (and SvelteKit's binary forms). */
const FORM_TYPES = [
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
];
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The one exception: RFC 8058's one-click unsubscribe, which a mail provider POSTs from its own
 * servers (no Origin, or its own). It needs the link's signed token and can only turn e-mail off.
 */
const ONE_CLICK_UNSUBSCRIBE = /^\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * SvelteKit's own CSRF rule (a form submission must come from this origin), kept here so that the
 * one-click unsubscribe can be let through: svelte.config.js turns the built-in check off
 * (`trustedOrigins: ['*']`) and hooks.server.ts runs this first instead. Null when allowed.
 */
export function refuseCrossSiteForm(event: Pick<RequestEvent, 'request' | 'url'>): Response | null {
	const { request, url } = event;
	if (!UNSAFE.has(request.method)) return null;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return null;
	if (request.headers.get('origin') === url.origin) return null;
	if (request.method === 'POST' && ONE_CLICK_UNSUBSCRIBE.test(url.pathname)) return null;
	return text(`Cross-site ${request.method} form submissions are forbidden`, { status: 403 });
}
