// `npm start`: builds the app if the build is missing or older than the sources, then serves it.
// Migrations and the demo seed run in the server's init hook (src/hooks.server.ts) before it listens.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const BUILD_ENTRY = 'build/handler.js';
const SOURCES = [
	'src',
	'messages',
	'static',
	'drizzle',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];

/** @param {string} entry @returns {number} */
function newestMtime(entry) {
	if (!existsSync(entry)) return 0;
	const stat = statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = stat.mtimeMs;
	for (const child of readdirSync(entry)) {
		// Generated code changes on every build; it is not a reason to rebuild.
		if (path.join(entry, child) === path.join('src', 'lib', 'paraglide')) continue;
		newest = Math.max(newest, newestMtime(path.join(entry, child)));
	}
	return newest;
}

const stale =
	!existsSync(BUILD_ENTRY) || statSync(BUILD_ENTRY).mtimeMs < Math.max(...SOURCES.map(newestMtime));
if (stale) {
	console.info('Building Kring…');
	const vite = path.join('node_modules', 'vite', 'bin', 'vite.js');
	const result = spawnSync(process.execPath, [vite, 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

process.env.PORT ??= '3000';
// adapter-node assumes https unless told the public origin; a local run is plain http.
// Behind a proxy, set ORIGIN (or PROTOCOL_HEADER and HOST_HEADER) as the README says.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT}`;
const where = process.env.DATABASE_URL
	? 'Postgres (DATABASE_URL)'
	: `embedded PGlite in ${path.resolve(process.env.KRING_DATA_DIR ?? 'data')}`;
console.info(`Database: ${where}`);
await import(path.resolve('server.js'));
console.info(`Kring is ready: ${process.env.ORIGIN}`);
