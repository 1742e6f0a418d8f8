import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// French typography, as the design asks: a non-breaking space before : ; ? ! and inside « ».
const fr = JSON.parse(readFileSync('messages/fr.json', 'utf8')) as Record<string, unknown>;
const en = JSON.parse(readFileSync('messages/en.json', 'utf8')) as Record<string, unknown>;

function strings(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(strings);
	if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
	return [];
}

describe('messages', () => {
	it('use a non-breaking space before French high punctuation', () => {
		const wrong = Object.entries(fr)
			.filter(([key]) => key !== '$schema')
			.filter(([, value]) => strings(value).some((s) => / [:;?!»]/.test(s) || /« /.test(s)))
			.map(([key]) => key);
		expect(wrong).toEqual([]);
	});

	it('exist in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
	});
});
