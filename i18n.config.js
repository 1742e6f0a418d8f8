// One set of Paraglide options, shared by the Vite plugin and `scripts/i18n.js`
// (which compiles the messages before svelte-check runs).
// The message-format plugin is loaded from node_modules, never from a CDN: builds run offline.
/** @type {import('@inlang/paraglide-js').CompilerOptions} */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['cookie', 'preferredLanguage', 'baseLocale'],
	cookieName: 'kring_lang',
	emitGitIgnore: false
};
