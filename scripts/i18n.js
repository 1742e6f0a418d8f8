// Compiles messages/*.json into src/lib/paraglide (run by `npm install` and `npm test`, before
// svelte-check; the Vite plugin does the same during builds, with the same options).
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../i18n.config.js';

await compile(paraglideOptions);
// The inlang SDK leaves a timer running for ~30 s after compiling; nothing is left to wait for.
process.exit(0);
