/**
 * Control characters, one rule per use. What may be typed into a text field: control characters
 * (below U+0020, and DEL) never belong in a one-line value such as a name; a multi-line text keeps
 * its line breaks and tabs but no other control character. What may be in a URL path or a redirect
 * target: no control character at all, C1 and the line separators included (browsers strip or
 * split on them).
 */

/** True when a one-line value (a name, a short word) holds no control character at all. */
export function isCleanLine(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		const code = s.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return false;
	}
	return true;
}

/** True when a multi-line text holds no control character other than line breaks and tabs. */
export function isCleanText(s: string): boolean {
	for (let i = 0; i < s.length; i++) {
		const code = s.charCodeAt(i);
		if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0x7f)
			return false;
	}
	return true;
}

/** C0 controls, DEL, C1 controls, and the line and paragraph separators U+2028 and U+2029. */
export function hasControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
			return true;
		}
	}
	return false;
}
