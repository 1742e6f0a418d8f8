import { json } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import type { RequestHandler } from './$types';

/** The web app manifest, in the member's language (their language cookie goes with the request). */
export const GET: RequestHandler = () =>
	json(
		{
			id: '/',
			name: 'Kring',
			short_name: 'Kring',
			description: m.manifest_description(),
			lang: getLocale(),
			dir: 'ltr',
			// The member's own day (Ma journée); a guest lands on the login page from there.
			start_url: '/day',
			scope: '/',
			display: 'standalone',
			orientation: 'any',
			theme_color: '#0f5e59',
			background_color: '#fafaf9',
			icons: [
				{ src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
				{ src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
				{
					src: '/icons/icon-maskable-192.png',
					sizes: '192x192',
					type: 'image/png',
					purpose: 'maskable'
				},
				{
					src: '/icons/icon-maskable-512.png',
					sizes: '512x512',
					type: 'image/png',
					purpose: 'maskable'
				}
			]
		},
		{ headers: { 'content-type': 'application/manifest+json; charset=utf-8' } }
	);
