/**
 * Client data that must never leave the team: the strings of a caseload that identify a person
 * (name, address, care needs, contacts' names and phones, how to get in). One list, used by the coach privacy
 * crawl (tests/integration/http/coach-privacy.test.ts) to prove no coach page shows them, and by
 * the server before a text leaves the team (a kaizen lesson shared with other teams). Pure.
 */

export interface CaseloadPerson {
	name: string;
	address?: string;
	needs?: string;
	contacts?: readonly { name: string; phone: string }[];
	/** How to get in (key box, door code…): members only. */
	access?: Readonly<Record<string, string>>;
}

/** Shorter strings are too common to mean a person ("Nord", "M. X"): the crawl's threshold. */
const MIN_SECRET_LENGTH = 6;

/** The identifying strings of a caseload, each once, at least MIN_SECRET_LENGTH long. */
export function clientSecrets(people: readonly CaseloadPerson[]): string[] {
	const all = people.flatMap((c) => [
		c.name,
		c.address ?? '',
		c.needs ?? '',
		...(c.contacts ?? []).flatMap((contact) => [contact.name, contact.phone]),
		...Object.values(c.access ?? {})
	]);
	return [...new Set(all.map((s) => s.trim()))].filter((s) => s.length >= MIN_SECRET_LENGTH);
}

/** Civilities and particles that name nobody on their own. */
const NOT_A_NAME = new Set([
	'mme',
	'mlle',
	'madame',
	'monsieur',
	'mr',
	'mrs',
	'ms',
	'dr',
	'de',
	'du',
	'des',
	'la',
	'le',
	'les',
	'van',
	'von',
	'der'
]);

/** Lower case, accents off, runs of spaces and punctuation as one space: how texts are compared. */
function fold(s: string): string {
	return s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/**
 * Which client data a text holds: any identifying string of the caseload (case, accents and
 * punctuation aside), and any part of a client's name of three letters or more written as a word
 * with its capital ("Mme Perrin" → "Perrin"), so a family name alone is caught too. Empty: none.
 */
export function clientDataIn(text: string, people: readonly CaseloadPerson[]): string[] {
	const found = new Set<string>();
	const folded = ` ${fold(text)} `;
	for (const secret of clientSecrets(people)) {
		const f = fold(secret);
		if (f.length > 0 && folded.includes(` ${f} `)) found.add(secret);
		else if (f.length >= MIN_SECRET_LENGTH && folded.includes(f)) found.add(secret);
	}
	const words = new Set(text.normalize('NFC').split(/[^\p{L}\p{N}'’-]+/u));
	for (const person of people) {
		for (const part of person.name.normalize('NFC').split(/[\s.,]+/)) {
			if (part.length < 3 || NOT_A_NAME.has(fold(part))) continue;
			if (part[0] !== part[0]!.toUpperCase()) continue;
			if (words.has(part)) found.add(part);
		}
	}
	return [...found];
}
