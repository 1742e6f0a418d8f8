import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface DiscoveredRoute {
	/** The route id, as SvelteKit names it: `/teams/[teamId]/settings`. */
	id: string;
	/** Form action names of its +page.server.ts (`default` for an unnamed one). */
	actions: string[];
	/** HTTP methods exported by its +server.ts. */
	methods: string[];
	hasPage: boolean;
}

const ROUTES_DIR = path.resolve('src/routes');

/** Every route at or below `prefix` (a route id), read from src/routes: nothing hand-listed. */
export function discoverRoutes(prefix: string): DiscoveredRoute[] {
	const found: DiscoveredRoute[] = [];
	const walk = (dir: string) => {
		const files = readdirSync(dir);
		const id =
			'/' +
			path
				.relative(ROUTES_DIR, dir)
				.split(path.sep)
				.filter((s) => !/^\(.*\)$/.test(s))
				.join('/');
		const routeId = id === '/' ? '/' : id.replace(/\/$/, '');
		const route: DiscoveredRoute = { id: routeId, actions: [], methods: [], hasPage: false };
		if (files.includes('+page.svelte') || files.includes('+page.server.ts')) route.hasPage = true;
		if (files.includes('+page.server.ts')) {
			const source = readFileSync(path.join(dir, '+page.server.ts'), 'utf8');
			const block = source.split(/export const actions[^=]*=\s*\{/)[1];
			if (block !== undefined) {
				for (const match of block.matchAll(/^\t(\w+):\s*async/gm)) route.actions.push(match[1]!);
			}
		}
		if (files.includes('+server.ts')) {
			const source = readFileSync(path.join(dir, '+server.ts'), 'utf8');
			for (const match of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE|OPTIONS)\b/g)) {
				route.methods.push(match[1]!);
			}
		}
		if (route.hasPage || route.methods.length > 0) found.push(route);
		for (const file of files) {
			if (statSync(path.join(dir, file)).isDirectory()) walk(path.join(dir, file));
		}
	};
	walk(ROUTES_DIR);
	return found.filter((r) => r.id === prefix || r.id.startsWith(prefix + '/'));
}

/** A concrete path for a route id: known params filled in, any other param given a dummy value. */
export function routePath(id: string, params: Record<string, string>): string {
	return id
		.replace(/\/\[\[(\w+)\]\]/g, (_, name: string) => (params[name] ? `/${params[name]}` : ''))
		.replace(/\[\.\.\.(\w+)\]/g, (_, name: string) => params[name] ?? 'x')
		.replace(/\[(\w+)(=\w+)?\]/g, (_, name: string) => params[name] ?? 'x');
}
