import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'src/lib/paraglide/',
			'project.inlang/',
			'drizzle/',
			'test-results/',
			'playwright-report/',
			'data/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
			'no-console': ['error', { allow: ['info', 'warn', 'error'] }]
		}
	},
	{
		// The fence: domain rules stay pure, usable by server and browser alike.
		files: ['src/lib/domain/**'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['$app/*', '$env/*', '$lib/server/*', '$lib/server', '$lib/components/*', '$lib/paraglide/*'], message: 'src/lib/domain stays free of SvelteKit, server and UI code.' },
						{ group: ['svelte', 'svelte/*', 'drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*', 'node:*', '../server/*', '../components/*'], message: 'src/lib/domain stays free of UI, database and Node code.' }
					]
				}
			]
		}
	},
	{
		// Only server code may reach the database, cookies and secrets.
		files: ['src/lib/components/**', 'src/lib/i18n/**', 'src/**/*.svelte'],
		rules: {
			'no-restricted-imports': [
				'error',
				{ patterns: [{ group: ['$lib/server/*', '$lib/server'], message: 'Server code stays on the server.' }] }
			]
		}
	},
	{
		rules: {
			// Links here are plain paths; resolve() adds nothing without a base path.
			'svelte/no-navigation-without-resolve': 'off'
		}
	}
);
