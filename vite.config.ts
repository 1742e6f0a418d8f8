import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './i18n.config.js';

// Under vitest the messages are already compiled (scripts/i18n.js runs first), and the plugin's
// project loader keeps a timer that holds test workers open for half a minute.
const paraglide = process.env.VITEST ? [] : [paraglideVitePlugin(paraglideOptions)];

/**
 * The live board in `npm run dev`: the dev server's WebSocket upgrades for /collab/ go to the same
 * collab module production uses (loaded through Vite, so it shares the app's database).
 */
function collabDevServer(): Plugin {
	return {
		name: 'kring-collab',
		configureServer(server) {
			server.httpServer?.on('upgrade', (request, socket, head) => {
				if (!(request.url ?? '').startsWith('/collab/')) return; // Vite's own HMR socket
				const load = server.ssrLoadModule('/src/lib/server/collab/instance.ts');
				load
					.then(async (instance) => {
						await instance.ready();
						await instance.collabServer().handleUpgrade(request, socket, head);
					})
					.catch((error: unknown) => {
						server.config.logger.error(`[collab] ${String(error)}`);
						socket.destroy();
					});
			});
		}
	};
}

export default defineConfig({
	plugins: [tailwindcss(), sveltekit(), ...paraglide, collabDevServer()],
	server: { port: 5173 },
	build: {
		rollupOptions: {
			// The build stays quiet about code we do not own (zod's comments that Rollup cannot
			// read, an unused import in layerchart), so a warning about our own code stands out.
			// `onLog`, because SvelteKit sets its own `onwarn`.
			onLog(level, log, handler) {
				const where = [log.id, ...(log.ids ?? [])];
				if (level === 'warn' && where.some((id) => id?.includes('/node_modules/'))) return;
				handler(level, log);
			}
		}
	},
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: './vite.config.ts',
				test: {
					name: 'unit',
					environment: 'node',
					include: ['tests/unit/**/*.test.ts']
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					name: 'integration',
					environment: 'node',
					include: ['tests/integration/**/*.test.ts'],
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// Each file gets its own database; files run one at a time on these 2-core machines.
					fileParallelism: false
				}
			},
			{
				extends: './vite.config.ts',
				test: {
					// Figures, not pass/fail on time: `npm run bench`, not part of `npm test`.
					name: 'bench',
					environment: 'node',
					include: ['tests/bench/**/*.bench.test.ts'],
					testTimeout: 300_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				extends: './vite.config.ts',
				// The long protocol fuzz: `npm run fuzz`, not part of `npm test`.
				test: { name: 'fuzz', environment: 'node', include: ['tests/fuzz/**/*.fuzz.test.ts'] }
			}
		]
	}
});
