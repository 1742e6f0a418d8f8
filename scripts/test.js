// `npm test`: every check in order, stopping at the first failure.
// Fast static checks first (Prettier → ESLint → knip → dependency-cruiser → jscpd), then
// svelte-check → unit tests → build → integration tests (PGlite, then real Postgres when
// TEST_DATABASE_URL is set) → Playwright in the system Chromium.
// A test suite that runs nothing counts as a failure. Ends with one line: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const REPORTS = path.resolve('test-results', 'reports');
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

/** @param {string} name */
const bin = (name) => `node_modules/.bin/${name}`;

/** @param {string} project @param {string} report */
const vitest = (project, report) => [
	'run',
	'--project',
	project,
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${path.join(REPORTS, report)}`
];

/**
 * @typedef {{ title: string; command: string; args: string[]; env?: Record<string, string>;
 *   report?: { file: string; kind: 'vitest' | 'playwright' } }} Step
 * @type {Step[]}
 */
const steps = [
	{ title: 'Messages', command: 'node', args: ['scripts/i18n.js'] },
	{ title: 'SvelteKit sync', command: bin('svelte-kit'), args: ['sync'] },
	{ title: 'Prettier', command: bin('prettier'), args: ['--check', '.'] },
	{ title: 'ESLint', command: bin('eslint'), args: ['.'] },
	{
		title: 'knip (unused files, exports, dependencies)',
		command: bin('knip'),
		args: ['--no-progress']
	},
	{
		title: 'dependency-cruiser (layering)',
		command: bin('depcruise'),
		args: ['src', '--config', '.dependency-cruiser.cjs']
	},
	{
		title: 'jscpd (copy-paste)',
		command: bin('jscpd'),
		args: ['--config', '.jscpd.json', '--silent']
	},
	{
		title: 'svelte-check',
		command: bin('svelte-check'),
		args: ['--tsconfig', './tsconfig.json', '--fail-on-warnings']
	},
	{
		title: 'Unit tests',
		command: bin('vitest'),
		args: vitest('unit', 'unit.json'),
		report: { file: 'unit.json', kind: 'vitest' }
	},
	{ title: 'Build', command: bin('vite'), args: ['build'] },
	{
		title: 'Integration tests (PGlite)',
		command: bin('vitest'),
		args: vitest('integration', 'integration-pglite.json'),
		env: { KRING_TEST_DB: 'pglite' },
		report: { file: 'integration-pglite.json', kind: 'vitest' }
	}
];
if (process.env.TEST_DATABASE_URL) {
	steps.push({
		title: 'Integration tests (Postgres)',
		command: bin('vitest'),
		args: vitest('integration', 'integration-postgres.json'),
		env: { KRING_TEST_DB: 'postgres' },
		report: { file: 'integration-postgres.json', kind: 'vitest' }
	});
} else {
	console.info('TEST_DATABASE_URL is not set: the integration suite runs on PGlite only.');
}
steps.push({
	title: 'End-to-end tests (Chromium)',
	command: bin('playwright'),
	args: ['test', '--reporter=list,json'],
	env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(REPORTS, 'e2e.json') },
	report: { file: 'e2e.json', kind: 'playwright' }
});

/** @param {{ file: string; kind: 'vitest' | 'playwright' }} report */
function countsOf(report) {
	const data = JSON.parse(readFileSync(path.join(REPORTS, report.file), 'utf8'));
	if (report.kind === 'vitest') {
		return { passed: data.numPassedTests, failed: data.numFailedTests, total: data.numTotalTests };
	}
	const s = data.stats;
	return {
		passed: s.expected + s.flaky,
		failed: s.unexpected,
		total: s.expected + s.flaky + s.unexpected + s.skipped
	};
}

let passed = 0;
let failed = 0;
for (const step of steps) {
	console.info(`\n▶ ${step.title}`);
	const started = Date.now();
	const result = spawnSync(step.command, step.args, {
		stdio: 'inherit',
		env: { ...process.env, ...step.env }
	});
	let counts = null;
	if (step.report) {
		try {
			counts = countsOf(step.report);
			passed += counts.passed;
			failed += counts.failed;
		} catch {
			counts = null;
		}
	}
	if (result.status !== 0 || (step.report && (counts === null || counts.total === 0))) {
		const why = result.status !== 0 ? `exit ${result.status ?? result.signal}` : 'it ran no test';
		console.error(`\n✗ ${step.title} failed (${why}).`);
		console.info(`\n${passed} passed, ${Math.max(failed, 1)} failed`);
		process.exit(1);
	}
	const summary = counts ? `, ${counts.passed} passed` : '';
	console.info(`✓ ${step.title} (${((Date.now() - started) / 1000).toFixed(1)} s${summary})`);
}
console.info(`\nAll checks passed.\n${passed} passed, ${failed} failed`);
