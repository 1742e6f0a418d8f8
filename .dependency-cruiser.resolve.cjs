// How .dependency-cruiser.cjs resolves SvelteKit's `$lib` (what .svelte-kit/tsconfig.json's `paths`
// say). Given as a resolver alias because dependency-cruiser's tsconfig-paths plugin reads those
// paths against the project root instead of .svelte-kit/ and resolves no `$lib` import.

module.exports = { resolve: { alias: { $lib: `${__dirname}/src/lib` } } };
