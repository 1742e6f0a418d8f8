import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Absolute asset paths (/_app/…): the service worker serves one kept offline page at any
		// address, where relative paths would point nowhere.
		paths: { relative: false },
		// The same-origin rule for form posts is ours (src/lib/server/auth/csrf.ts, first in
		// hooks.server.ts), so that RFC 8058's one-click unsubscribe POST can reach its route.
		csrf: { trustedOrigins: ['*'] },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// bits-ui and Svelte transitions set inline style attributes.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				// The service worker (src/service-worker.ts) and the web app manifest.
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'form-action': ['self'],
				'base-uri': ['self'],
				'object-src': ['none'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
