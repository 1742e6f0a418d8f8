import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function lint(code: string, filePath: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath });
	return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('the domain fence', () => {
	it('stops domain rules from importing server, database or UI code', async () => {
		for (const source of [
			"import { db } from '$lib/server/db';",
			"import { page } from '$app/state';",
			"import { eq } from 'drizzle-orm';",
			"import { mount } from 'svelte';",
			"import fs from 'node:fs';"
		]) {
			const messages = await lint(`${source}\nexport const x = 1;\n`, 'src/lib/domain/fence-probe.js');
			expect(messages.some((m) => m.startsWith('no-restricted-imports')), source).toBe(true);
		}
	});

	it('lets domain rules import other pure code', async () => {
		const messages = await lint("import { z } from 'zod';\nexport const s = z.string();\n", 'src/lib/domain/fence-probe.js');
		expect(messages).toEqual([]);
	});

	it('keeps server code out of components', async () => {
		const messages = await lint(
			"import { db } from '$lib/server/db';\nexport const x = db;\n",
			'src/lib/i18n/fence-probe.js'
		);
		expect(messages.some((m) => m.startsWith('no-restricted-imports'))).toBe(true);
	});
});
