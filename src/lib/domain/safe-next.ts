/**
 * Where to send the browser after logging in, switching language and the like: only a path on this
 * site. Kept pure (no `$app`, no server code) so the same rule can be tested on its own and used on
 * either side.
 */
import { hasControlCharacter } from './text';

/** Longer than any Kring URL; a longer target is not one of ours. */
const MAX_LENGTH = 2048;
/** Percent-decoding rounds tried before a value is taken as deliberately nested, hence hostile. */
const MAX_DECODINGS = 4;
const BASE = 'http://next.invalid';

/**
 * A single leading `/`, nothing a browser would read as another host or a scheme. Browsers strip
 * or split on control characters (`/\t/evil.example` becomes `//evil.example`) and read `\` as `/`.
 */
function isLocalPath(value: string): boolean {
	return (
		value.startsWith('/') &&
		!value.startsWith('//') &&
		!value.includes('\\') &&
		!hasControlCharacter(value)
	);
}

/**
 * `value` when it is a path on this site, normalised (dot segments resolved, anything outside
 * ASCII percent-encoded, so it is a valid Location header); otherwise `fallback`.
 * The value and each of its percent-decodings must pass, so `/%2F/evil.example` and
 * `/%09/evil.example` are refused like `//evil.example`; a value that is not valid percent-encoding
 * is refused too. Schemes (`javascript:`, `https:`) cannot pass: the value must start with `/`.
 */
export function safeNext(value: string | null | undefined, fallback = '/'): string {
	if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
	let current = value;
	for (let round = 0; ; round++) {
		if (!isLocalPath(current)) return fallback;
		let decoded: string;
		try {
			decoded = decodeURIComponent(current);
		} catch {
			// The value as sent must be valid; a later round failing only means a literal `%` was
			// encoded (`?q=100%25`), which no browser decodes again.
			if (round === 0) return fallback;
			break;
		}
		if (decoded === current) break;
		if (round === MAX_DECODINGS) return fallback;
		current = decoded;
	}
	let url: URL;
	try {
		url = new URL(value, BASE);
	} catch {
		return fallback;
	}
	const path = url.pathname + url.search + url.hash;
	// Resolving dot segments can make a new leading `//` (`/..//evil.example`): check the result too.
	if (url.origin !== BASE || !isLocalPath(path)) return fallback;
	return path;
}
