import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layering is kept by dependency-cruiser (`npm run deps`, .dependency-cruiser.cjs). Here each
// rule is shown to bite: probe files that break it are planted in the tree (unique names, removed
// afterwards), cruised with the real configuration, and each probe's violations are read back.

const tag = randomUUID().slice(0, 8);
const probes = {
	domainServer: [`src/lib/domain/probe-${tag}-server.ts`, "import { db } from '$lib/server/db';"],
	domainApp: [`src/lib/domain/probe-${tag}-app.ts`, "import { page } from '$app/state';"],
	domainDrizzle: [`src/lib/domain/probe-${tag}-drizzle.ts`, "import { eq } from 'drizzle-orm';"],
	domainSvelte: [`src/lib/domain/probe-${tag}-svelte.ts`, "import { mount } from 'svelte';"],
	domainMessages: [
		`src/lib/domain/probe-${tag}-messages.ts`,
		"import { m } from '$lib/paraglide/messages';"
	],
	domainNode: [`src/lib/domain/probe-${tag}-node.ts`, "import fs from 'node:fs';"],
	domainPure: [
		`src/lib/domain/probe-${tag}-pure.ts`,
		"import { z } from 'zod';\nimport { DAY_MS } from '$lib/domain/week';"
	],
	i18nServer: [`src/lib/i18n/probe-${tag}-server.ts`, "import { db } from '$lib/server/db';"],
	routeDrizzle: [`src/routes/probe-${tag}-drizzle.ts`, "import { eq } from 'drizzle-orm';"],
	routeServer: [`src/routes/probe-${tag}-server.ts`, "import { db } from '$lib/server/db';"]
} satisfies Record<string, [string, string]>;
type Probe = keyof typeof probes;

interface Violation {
	from: string;
	rule: { name: string };
}
let violations: Violation[] = [];

beforeAll(() => {
	for (const [file, imports] of Object.values(probes)) {
		writeFileSync(file, `${imports}\nexport const probe = 1;\n`);
	}
	try {
		const run = spawnSync(
			'node_modules/.bin/depcruise',
			[
				...Object.values(probes).map(([file]) => file),
				'--config',
				'.dependency-cruiser.cjs',
				'--max-depth',
				'1',
				'--output-type',
				'json'
			],
			{ encoding: 'utf8' }
		);
		if (run.stdout === '') throw new Error(`depcruise printed nothing: ${run.stderr}`);
		violations = JSON.parse(run.stdout).summary.violations;
	} finally {
		for (const [file] of Object.values(probes)) rmSync(file, { force: true });
	}
}, 60_000);

afterAll(() => {
	for (const [file] of Object.values(probes)) rmSync(file, { force: true });
});

function rulesBroken(probe: Probe): string[] {
	return violations.filter((v) => v.from === probes[probe][0]).map((v) => v.rule.name);
}

describe('the layering rules', () => {
	it('stop domain rules from importing server, SvelteKit, database, UI or message code', () => {
		for (const probe of [
			'domainServer',
			'domainApp',
			'domainDrizzle',
			'domainSvelte',
			'domainMessages'
		] as const) {
			expect(rulesBroken(probe), probe).toContain('domain-stays-pure');
		}
	});

	it('stop domain rules from importing Node built-ins', () => {
		expect(rulesBroken('domainNode')).toContain('domain-no-node');
	});

	it('let domain rules import other pure code', () => {
		expect(rulesBroken('domainPure')).toEqual([]);
	});

	it('keep server code out of code that runs in the browser', () => {
		expect(rulesBroken('i18nServer')).toContain('client-never-imports-server');
	});

	it('let routes reach the database only through server modules', () => {
		expect(rulesBroken('routeDrizzle')).toContain('routes-query-through-server-modules');
		expect(rulesBroken('routeServer')).toEqual([]);
	});
});
