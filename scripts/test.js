// `npm test`: every check in order, stopping at the first failure.
// svelte-check → ESLint → unit tests → build → integration tests (PGlite, then real Postgres
// when TEST_DATABASE_URL is set) → Playwright in the system Chromium.
import { spawnSync } from 'node:child_process';

/** @param {string} name */
const bin = (name) => `node_modules/.bin/${name}`;

/** @type {[string, string, string[], Record<string, string>?][]} */
const steps = [
	['Messages', 'node', ['scripts/i18n.js']],
	['SvelteKit sync', bin('svelte-kit'), ['sync']],
	['svelte-check', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings']],
	['ESLint', bin('eslint'), ['.']],
	['Unit tests', bin('vitest'), ['run', '--project', 'unit']],
	['Build', bin('vite'), ['build']],
	['Integration tests (PGlite)', bin('vitest'), ['run', '--project', 'integration'], { KRING_TEST_DB: 'pglite' }]
];
if (process.env.TEST_DATABASE_URL) {
	steps.push([
		'Integration tests (Postgres)',
		bin('vitest'),
		['run', '--project', 'integration'],
		{ KRING_TEST_DB: 'postgres' }
	]);
} else {
	console.info('TEST_DATABASE_URL is not set: the integration suite runs on PGlite only.');
}
steps.push(['End-to-end tests (Chromium)', bin('playwright'), ['test']]);

for (const [title, command, args, env = {}] of steps) {
	console.info(`\n▶ ${title}`);
	const started = Date.now();
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	if (result.status !== 0) {
		console.error(`\n✗ ${title} failed (exit ${result.status ?? result.signal}).`);
		process.exit(1);
	}
	console.info(`✓ ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
console.info('\nAll checks passed.');
