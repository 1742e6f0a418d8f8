import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/lib/domain/safe-next';

const SITE = 'https://kring.example';
// An oracle of its own, not the implementation's: controls, DEL, C1, U+2028/2029, backslash.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/;

/** Where a browser lands when it follows `Location: <location>` from a page of the site. */
function landing(location: string): URL {
	// The WHATWG URL parser is what browsers use: it strips tabs and newlines and reads `\` as `/`.
	return new URL(location, `${SITE}/login?next=x`);
}

/** Every percent-decoding of a value, as far as it goes. */
function decodings(value: string): string[] {
	const all = [value];
	for (let i = 0; i < 8; i++) {
		try {
			const next = decodeURIComponent(all[all.length - 1]!);
			if (next === all[all.length - 1]) break;
			all.push(next);
		} catch {
			break;
		}
	}
	return all;
}

describe('safeNext', () => {
	it.each([
		['/%09/evil.example/x'],
		['/\t/evil.example/x'],
		['//evil.example'],
		['///evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['/%5Cevil.example'],
		['/%2F/evil.example'],
		['/%252F/evil.example'],
		['%2F%2Fevil.example'],
		['https://evil.example'],
		['javascript:alert(1)'],
		['JaVaScRiPt:alert(1)'],
		['data:text/html,<script>alert(1)</script>'],
		['evil.example'],
		['./x'],
		[' /x'],
		['/..//evil.example'],
		['/%2e%2e//evil.example'],
		['/\r\nSet-Cookie: a=b'],
		['/%0d%0aSet-Cookie: a=b'],
		['/\n'],
		['/\v'],
		['/%0B'],
		['/\u2028'],
		['/%E2%80%A8'],
		['/\u2029'],
		['/\u0000'],
		['/%00'],
		['/\u007f'],
		['/\u0085'],
		['/%C2%85'],
		['/%E0%A4%A'],
		['/%'],
		['/' + 'a'.repeat(5000)],
		['']
	])('refuses %j and falls back', (payload) => {
		expect(safeNext(payload)).toBe('/');
		expect(safeNext(payload, '/teams')).toBe('/teams');
	});

	it('falls back when there is no target', () => {
		expect(safeNext(null)).toBe('/');
		expect(safeNext(undefined, '/x')).toBe('/x');
	});

	it.each([
		['/', '/'],
		['/teams/abc', '/teams/abc'],
		['/teams/abc/caseload?client=1&x=%C3%A9', '/teams/abc/caseload?client=1&x=%C3%A9'],
		['/search?q=100%25', '/search?q=100%25'],
		['/a/./b/../c', '/a/c'],
		['/café', '/caf%C3%A9'],
		['/a b', '/a%20b'],
		['/page#part', '/page#part'],
		['/login?next=%2Fteams', '/login?next=%2Fteams']
	])('keeps the path %j on this site as %j', (value, expected) => {
		expect(safeNext(value)).toBe(expected);
	});

	const piece = fc.constantFrom(
		'/',
		'//',
		'\\',
		'%2F',
		'%2f',
		'%5C',
		'%09',
		'%0A',
		'%0D',
		'%00',
		'%25',
		'%',
		'%E2%80%A8',
		'\t',
		'\n',
		'\r',
		'\v',
		'\u2028',
		'\u0085',
		'.',
		'..',
		'%2e',
		':',
		'https:',
		'javascript:',
		'@',
		'?',
		'#',
		'evil.example',
		'a',
		'é',
		' '
	);
	const hostile = fc.oneof(
		fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
		fc.string({ unit: 'binary', maxLength: 40 }),
		fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `/${s}`)
	);

	it('only ever answers a path a browser resolves on this site', () => {
		fc.assert(
			fc.property(hostile, (value) => {
				const next = safeNext(value);
				expect(landing(next).origin).toBe(SITE);
				// A valid header value: printable ASCII only.
				expect(next).toMatch(/^\/[\x21-\x7e]*$/);
				for (const form of decodings(next)) {
					expect(form.startsWith('/') && !form.startsWith('//')).toBe(true);
					expect(form).not.toMatch(UNSAFE);
				}
			}),
			{ numRuns: 5000 }
		);
	});

	it('is stable: an accepted target is accepted again unchanged', () => {
		fc.assert(
			fc.property(hostile, (value) => {
				const next = safeNext(value);
				expect(safeNext(next)).toBe(next);
			}),
			{ numRuns: 2000 }
		);
	});

	it('keeps every plain path of the site as it is', () => {
		const segment = fc.stringMatching(/^[a-z0-9_-]{1,12}$/);
		fc.assert(
			fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), segment, (segments, q) => {
				const path = `/${segments.join('/')}?q=${q}`;
				expect(safeNext(path, '/fallback')).toBe(path);
			})
		);
	});
});
