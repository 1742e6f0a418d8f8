// Run after `npm install` changes package-lock.json: `node scripts/complete-lockfile.js`.
//
// The registry mirror these machines use lacks some recent platform-specific builds (for
// example @rollup/rollup-darwin-arm64 at the version rollup asks for). npm then leaves those
// optional packages out of the lock file, and `npm ci` refuses the lock as out of sync.
// This adds the missing entries as npm would have written them, marked optional and with their
// os/cpu/libc, so `npm ci` skips them on other platforms and installs them where they belong.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const LOCK = 'package-lock.json';
/** @type {{ packages: Record<string, { optionalDependencies?: Record<string, string>; license?: string } & Record<string, unknown>> }} */
const lock = JSON.parse(readFileSync(LOCK, 'utf8'));
const packages = lock.packages;

/**
 * Where npm would find `name` from the package at `from` (walking up node_modules folders).
 * @param {string} from @param {string} name
 */
function resolves(from, name) {
	let base = from;
	for (;;) {
		if (packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
		if (!base) return false;
		const cut = base.lastIndexOf('/node_modules/');
		base = cut === -1 ? '' : base.slice(0, cut);
	}
}

/** @param {string} name @returns {{ os?: string[]; cpu?: string[]; libc?: string[] }} */
function platformOf(name) {
	const out = execFileSync('npm', ['view', name, 'os', 'cpu', 'libc', '--json'], {
		encoding: 'utf8'
	});
	const data = JSON.parse(out || '{}');
	return { os: data.os, cpu: data.cpu, libc: data.libc };
}

let added = 0;
for (const [location, entry] of Object.entries(packages)) {
	for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
		if (resolves(location, name)) continue;
		const at = `node_modules/${name}`;
		if (packages[at]) continue; // a different version is hoisted: leave npm's layout alone
		const { os, cpu, libc } = platformOf(name);
		packages[at] = {
			version: range.replace(/^[~^=]/, ''),
			optional: true,
			...(cpu ? { cpu } : {}),
			...(libc ? { libc } : {}),
			...(os ? { os } : {}),
			license: entry.license
		};
		added++;
	}
}
lock.packages = Object.fromEntries(
	Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
);
writeFileSync(LOCK, JSON.stringify(lock, null, '\t') + '\n');
console.info(`complete-lockfile: added ${added} optional platform entries`);
