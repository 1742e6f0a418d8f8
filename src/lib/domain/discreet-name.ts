/**
 * A client as a notice outside the app may name them: initials only ("Mme J. R."). Calendar feeds,
 * e-mails and push messages land on devices and services we do not control.
 */
export function discreetName(name: string): string {
	const words = name
		.trim()
		.split(/\s+/)
		.filter((w) => w !== '');
	const title =
		words[0] !== undefined && /^(M\.|Mme|Mlle|Dr)$/i.test(words[0]) ? words.shift()! : null;
	const initials = words
		.map(
			(w) =>
				`${w
					.split('-')
					.map((part) => part.charAt(0).toUpperCase())
					.join('-')}.`
		)
		.join(' ');
	return [title, initials].filter((p) => p !== null && p !== '').join(' ');
}

/**
 * Initials as a notification's params accept them (letters, dots, spaces and hyphens, at most 12):
 * other characters dropped, long ones cut at a word, "X." when nothing is left (an unknown client).
 */
export function noticeInitials(name: string | null | undefined): string {
	let initials = discreetName(name ?? '')
		.replace(/[^\p{L}. -]/gu, '')
		.replace(/\s+/g, ' ')
		.trim();
	while (initials.length > 12 && initials.includes(' '))
		initials = initials.slice(0, initials.lastIndexOf(' '));
	initials = initials.slice(0, 12).trim();
	return /\p{L}/u.test(initials) ? initials : 'X.';
}
