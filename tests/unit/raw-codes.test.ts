import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// People read sentences, never internal codes. The rota's refusals once reached the page as
// "Vous ne pouvez pas le prendre : does-not-fit". This scans every message catalogue and every
// component for codes shown to users: a message whose text is or holds a code, markup that prints
// one, and a code passed into a message in place of words.

/** Codes of the rules (refusals, absence kinds) that must never be read on a page. */
const KEBAB_CODES = [
	'does-not-fit',
	'not-offered',
	'own-visit',
	'too-late',
	'refused-by-client',
	'days-in-row',
	'fortnight-rest',
	'not-a-member',
	'end-before-start',
	'dates-invalid',
	'kind-invalid'
];
/** Single-word codes: a message or a text node made of just one of these is a code on show. */
const WORD_CODES = ['absent', 'qualification', 'sickness', 'overlap', 'travel', 'rest', 'started'];

const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
	'plugin.inlang.messageFormat': { pathPattern: string[] };
};
const catalogues = settings['plugin.inlang.messageFormat'].pathPattern.flatMap((p) =>
	['fr', 'en'].map((locale) => p.replace('{locale}', locale))
);

function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
	return [];
}

const components = readdirSync('src', { recursive: true, encoding: 'utf8' })
	.filter((f) => f.endsWith('.svelte'))
	.map((f) => path.join('src', f));
const scripts = readdirSync('src/lib/i18n', { encoding: 'utf8' }).map((f) =>
	path.join('src/lib/i18n', f)
);

const kebab = new RegExp(`(^|[^a-z-])(${KEBAB_CODES.join('|')})($|[^a-z-])`);
// Codes are lower case; a capitalised word ("Qualification" as a CSV column) is a label.
const isWordCode = (text: string) => WORD_CODES.includes(text.trim());
/** What holds a rule's verdict in our code: its `.reason` is a code, never words. */
const VERDICT = '(verdict|outcome|refusal|take|result)';

/** A component's markup as the reader gets it: no script, no style, no attributes. */
function textNodes(source: string): string[] {
	const markup = source
		.replace(/<script[\s\S]*?<\/script>/g, '')
		.replace(/<style[\s\S]*?<\/style>/g, '');
	return [...markup.matchAll(/>([^<>]+)</g)].map((m) => m[1]!).filter((t) => t.trim() !== '');
}

describe('no raw code reaches a reader', () => {
	it('finds the codes it looks for (control: the old refusal would be caught)', () => {
		expect(kebab.test('Vous ne pouvez pas le prendre : does-not-fit')).toBe(true);
		expect(isWordCode(' absent ')).toBe(true);
		expect(
			new RegExp(`m\\.\\w+\\(\\{[^})]*:\\s*${VERDICT}\\??\\.(reason|kind)\\s*[,}]`).test(
				'm.rota_take_refused({ reason: verdict.reason })'
			)
		).toBe(true);
		expect(kebab.test('Proposer à un·e collègue')).toBe(false);
		expect(textNodes('<script>const r = "too-late";</script><p>too-late</p>')).toEqual([
			'too-late'
		]);
	});

	it('in the message catalogues', () => {
		const found = catalogues.flatMap((file) =>
			Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)
				.filter(([key]) => key !== '$schema')
				.filter(([, value]) => strings(value).some((s) => kebab.test(s) || isWordCode(s)))
				.map(([key]) => `${file}: ${key}`)
		);
		expect(found).toEqual([]);
	});

	it('in the components’ visible text', () => {
		const found = components.flatMap((file) =>
			textNodes(readFileSync(file, 'utf8'))
				.filter(
					(t) =>
						kebab.test(t) ||
						isWordCode(t) ||
						new RegExp(`\\{\\s*${VERDICT}\\??\\.(reason|kind)\\s*\\}`).test(t)
				)
				.map((t) => `${file}: ${t.trim()}`)
		);
		expect(found).toEqual([]);
	});

	it('passed into a message in place of words', () => {
		// `m.x({ reason: verdict.reason })` puts the code itself into the sentence.
		const codeIntoMessage = new RegExp(
			`m\\.\\w+\\(\\{[^})]*:\\s*${VERDICT}\\??\\.(reason|kind)\\s*[,}]`
		);
		const found = [...components, ...scripts].filter((file) =>
			codeIntoMessage.test(readFileSync(file, 'utf8'))
		);
		expect(found).toEqual([]);
	});
});
