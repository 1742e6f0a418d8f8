import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vitest/config';
import { paraglideOptions } from './i18n.config.js';

// Under vitest the messages are already compiled (scripts/i18n.js runs first), and the plugin's
// project loader keeps a timer that holds test workers open for half a minute.
const paraglide = process.env.VITEST ? [] : [paraglideVitePlugin(paraglideOptions)];

export default defineConfig({
	plugins: [tailwindcss(), sveltekit(), ...paraglide],
	server: { port: 5173 },
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
			}
		]
	}
});
