import { describe, expect, it } from 'vitest';
import { isId } from '../../src/lib/domain/ids';
import { isCleanLine, isCleanText } from '../../src/lib/domain/text';

describe('text rules', () => {
	it('refuses every control character in a one-line value, line breaks included', () => {
		expect(isCleanLine('Aïcha Benali')).toBe(true);
		expect(isCleanLine('a\nb')).toBe(false);
		expect(isCleanLine('a\tb')).toBe(false);
		expect(isCleanLine('a\u007fb')).toBe(false);
	});

	it('keeps line breaks and tabs in a multi-line text, and refuses other control characters', () => {
		expect(isCleanText('ligne 1\r\nligne 2\tfin')).toBe(true);
		expect(isCleanText('a\u0000b')).toBe(false);
		expect(isCleanText('a\u001bb')).toBe(false);
		expect(isCleanText('a\u007fb')).toBe(false);
	});
});

describe('ids', () => {
	it('accepts ids shaped as the server makes them, and nothing else', () => {
		expect(isId('abcdefgh234567')).toBe(true);
		expect(isId('ABC')).toBe(false);
		expect(isId('abc1')).toBe(false);
		expect(isId('')).toBe(false);
		expect(isId('a'.repeat(65))).toBe(false);
	});
});
