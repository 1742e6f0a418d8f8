import { defineConfig } from 'drizzle-kit';

// drizzle-kit only generates migrations here; the app applies them itself at start.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	casing: 'snake_case',
	strict: true,
	verbose: true
});
