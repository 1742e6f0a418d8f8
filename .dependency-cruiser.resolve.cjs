// How .dependency-cruiser.cjs resolves SvelteKit's `$lib` (what .svelte-kit/tsconfig.json's `paths`
// say). Given as a resolver alias because dependency-cruiser's tsconfig-paths plugin reads those
// paths against the project root instead of .svelte-kit/ and resolves no `$lib` import.
const path = require('node:path');

module.exports = { resolve: { alias: { $lib: path.join(__dirname, 'src', 'lib') } } };
