import { readFileSync } from 'node:fs';
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

	it('exist in both languages', () => {
		expect(keys(read('en')).sort()).toEqual(keys(read('fr')).sort());
	});

	it('are each defined in one file only', () => {
		const all = keys(read('fr'));
		expect(all.filter((k, i) => all.indexOf(k) !== i)).toEqual([]);
	});
});
