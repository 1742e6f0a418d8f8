import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Every message file the inlang project reads (one per area, so areas can grow side by side).
const settings = JSON.parse(readFileSync('project.inlang/settings.json', 'utf8')) as {
	'plugin.inlang.messageFormat': { pathPattern: string | string[] };
};
const raw = settings['plugin.inlang.messageFormat'].pathPattern;
const patterns = Array.isArray(raw) ? raw : [raw];
const read = (locale: string) =>
	patterns.map((p) => ({
		file: p.replace('{locale}', locale),
		messages: JSON.parse(readFileSync(p.replace('{locale}', locale), 'utf8')) as Record<
			string,
			unknown
		>
	}));

function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
	return [];
}

const keys = (files: ReturnType<typeof read>) =>
	files.flatMap((f) => Object.keys(f.messages).filter((k) => k !== '$schema'));

describe('messages', () => {
	// French typography, as the design asks: a non-breaking space before : ; ? ! and inside « ».
	it('use a non-breaking space before French high punctuation', () => {
		const wrong = read('fr').flatMap((f) =>
			Object.entries(f.messages)
				.filter(([key]) => key !== '$schema')
				.filter(([, value]) => strings(value).some((s) => / [:;?!»]/.test(s) || /« /.test(s)))
				.map(([key]) => `${f.file}: ${key}`)
		);
		expect(wrong).toEqual([]);
	});

	// Lazy plurals ("décision(s)") are real variants instead; the typographic apostrophe ’, never ';
	// and a message never has two full stops in a row, nor one after a {day} (formatDay's abbreviated
	// month already ends with one: "mer. 9 déc..").
	it('have no lazy plural, straight apostrophe, double full stop or full stop after a date', () => {
		const wrong = read('fr').flatMap((f) =>
			Object.entries(f.messages)
				.filter(([key]) => key !== '$schema')
				.filter(([, value]) =>
					strings(value).some(
						(s) =>
							/\((e?s|e|x)\)/.test(s) ||
							s.includes("'") ||
							/\.\.(?!\.)/.test(s.replace(/…/g, '')) ||
							/\{day\}\./.test(s)
					)
				)
				.map(([key]) => `${f.file}: ${key}`)
		);
		expect(wrong).toEqual([]);
	});

	// The demo's French words, as a nurse sees them, use the typographic apostrophe too.
	it('leave no straight apostrophe in the French seed data', () => {
		const files = [
			...readdirSync('src/lib/server/seed').map((f) => `src/lib/server/seed/${f}`),
			'src/lib/domain/omaha-system.json'
		];
		const wrong = files.flatMap((file) =>
			readFileSync(file, 'utf8')
				.split('\n')
				.filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
				.filter((line) => /(['"`])[^'"`]*\p{L}'\p{L}[^'"`]*\1/u.test(line))
				.map((line) => `${file}: ${line.trim()}`)
		);
		expect(wrong).toEqual([]);
	});

	it('exist in both languages', () => {
		expect(keys(read('en')).sort()).toEqual(keys(read('fr')).sort());
	});

	it('are each defined in one file only', () => {
		const all = keys(read('fr'));
		expect(all.filter((k, i) => all.indexOf(k) !== i)).toEqual([]);
	});
});
