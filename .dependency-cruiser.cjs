// The layering, checked on resolved paths (so `$lib/…`, relative and `.svelte` imports all count):
// `npm run deps`, and a step of `npm test`.

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-circular',
			severity: 'error',
			comment: 'Import cycles make load order matter and hide which module is the lower layer.',
			from: { path: '^src/' },
			to: { circular: true }
		},
		{
			name: 'domain-stays-pure',
			severity: 'error',
			comment:
				'src/lib/domain holds the rules, usable by server and browser alike: no server, UI, SvelteKit, database or Node code.',
			from: { path: '^src/lib/domain/' },
			to: {
				path: [
					'^src/lib/(server|collab|components|i18n|paraglide)/',
					'^src/routes/',
					'^src/hooks',
					'^\\$(app|env)/',
					'^node_modules/(svelte|drizzle-orm|postgres|@electric-sql)/'
				]
			}
		},
		{
			name: 'domain-no-node',
			severity: 'error',
			comment: 'src/lib/domain runs in the browser too: no Node built-ins.',
			from: { path: '^src/lib/domain/' },
			to: { dependencyTypes: ['core'] }
		},
		{
			name: 'routes-query-through-server-modules',
			severity: 'error',
			comment:
				'Routes hand the `db` handle to a server module; tables, query builders and drivers stay in src/lib/server.',
			from: { path: '^src/routes/' },
			to: {
				path: [
					'^src/lib/server/db/schema/',
					'^node_modules/(drizzle-orm|postgres|@electric-sql/pglite)/'
				]
			}
		},
		{
			name: 'client-never-imports-server',
			severity: 'error',
			comment:
				'Components, the collab client, i18n, .svelte files and universal loads run in the browser: src/lib/server stays on the server.',
			from: {
				path: [
					'^src/lib/(components|collab|i18n)/',
					'\\.svelte$',
					'\\.svelte\\.(ts|js)$',
					'^src/routes/.*/\\+(page|layout)\\.(ts|js)$',
					'^src/hooks\\.client\\.(ts|js)$'
				]
			},
			to: { path: '^src/lib/server/' }
		},
		{
			name: 'not-to-unresolvable',
			severity: 'error',
			comment: 'An import that does not resolve (SvelteKit virtual modules aside).',
			from: { path: '^src/' },
			to: {
				couldNotResolve: true,
				pathNot: ['^\\$(app|env|service-worker)(/|$)', '^__sveltekit/', '(^|/)\\$types$']
			}
		}
	],
	options: {
		// Paraglide's generated messages are a leaf: counted as a dependency (so the domain may not
		// import them) but not cruised themselves.
		doNotFollow: { path: ['(^|/)node_modules/', '^src/lib/paraglide/'] },
		tsPreCompilationDeps: true,
		// SvelteKit's tsconfig (`svelte-kit sync` writes it) for compiling; `$lib` through the alias.
		tsConfig: { fileName: `${__dirname}/.svelte-kit/tsconfig.json` },
		webpackConfig: { fileName: `${__dirname}/.dependency-cruiser.resolve.cjs` },
		enhancedResolveOptions: {
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'svelte', 'default', 'types'],
			mainFields: ['module', 'main', 'types', 'typings'],
			extensions: ['.ts', '.js', '.svelte', '.json', '.d.ts']
		},
		reporterOptions: { text: { highlightFocused: true } }
	}
};
