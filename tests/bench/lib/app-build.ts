// The built app (`build/`, what `node server.js` serves), made once when it is missing, so a bench
// on a clean clone runs from one command. BENCH_BUILD=1 rebuilds it even when it is there.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const building = new Map<string, Promise<void>>();

/**
 * Builds the app with `vite build` unless `build/` is already there (or BENCH_BUILD=1 asks); `root`
 * is another checkout's directory for the earlier Kring of a before-and-after bench.
 */
export function ensureBuilt(root = '.'): Promise<void> {
	const dir = path.resolve(root);
	const HANDLER = path.join(dir, 'build/handler.js');
	const known = building.get(dir);
	if (known !== undefined) return known;
	const made = (async () => {
		if (existsSync(HANDLER) && !process.env.BENCH_BUILD) return;
		// As `npm run build` would: without the test runner's variables (under VITEST the config
		// leaves out the i18n plugin, and NODE_ENV=test is not a production build).
		const env = Object.fromEntries(
			Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_ENV')
		);
		console.info(`[bench] building the app in ${dir} (vite build)…`);
		const started = Date.now();
		await new Promise<void>((resolve, reject) => {
			execFile(
				path.join(dir, 'node_modules/.bin/vite'),
				['build'],
				{ cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
				(error, _stdout, stderr) =>
					error
						? reject(new Error(`vite build failed: ${error.message}\n${stderr.slice(-4_000)}`))
						: resolve()
			);
		});
		if (!existsSync(HANDLER)) throw new Error('vite build left no build/handler.js');
		console.info(`[bench] built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	})();
	building.set(dir, made);
	return made;
}
