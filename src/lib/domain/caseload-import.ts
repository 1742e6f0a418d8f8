/**
 * Bringing a team's caseload in from a spreadsheet: the file's bytes into text (UTF-8 or the
 * Windows-1252 French office software still writes, byte-order mark or not), the text into rows
 * (`;` or `,`, detected, parsed by csv-parse), columns mapped to card fields (guessed from French
 * or English headers, changed by the reader), and each row checked into a new card, with what is
 * wrong said per line. Pure: the page's action and the server module that writes the cards share it.
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { parseClientCard, type ClientStatus } from './caseload';
import {
	IMPORT_FIELDS,
	IMPORT_LIMITS,
	type ColumnMapping,
	type ImportField
} from './caseload-import-fields';
import { isCleanLine, isCleanText } from './text';

export { IMPORT_LIMITS, type ColumnMapping };

/** Lengths a card's fields may have (the caseload's own add form uses the same). */
const CARD_FIELD_MAX = {
	name: 120,
	address: 200,
	sector: 60,
	needs: 500,
	phone: 30,
	doctor: 120
} as const;

export type Encoding = 'utf-8' | 'windows-1252';

/**
 * The file's text: UTF-8 when its bytes are valid UTF-8 (a byte-order mark is dropped), otherwise
 * Windows-1252, which is what French spreadsheets save as "CSV" on Windows.
 */
export function decodeBytes(bytes: Uint8Array): { text: string; encoding: Encoding } {
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const body = bom ? bytes.subarray(3) : bytes;
	try {
		return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf-8' };
	} catch {
		return { text: decodeWindows1252(body), encoding: 'windows-1252' };
	}
}

/**
 * Windows-1252 decoded by hand: Node's TextDecoder (20, 22) reads the label as Latin-1 and turns
 * 0x80–0x9F (’ “ ” € œ …, everywhere in French text) into control characters.
 */
const CP1252_HIGH =
	'\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
	'\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
	let out = '';
	for (let i = 0; i < bytes.length; i += 8192) {
		const chunk = Array.from(bytes.subarray(i, i + 8192), (b) =>
			b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b)
		);
		out += chunk.join('');
	}
	return out;
}

/**
 * `;` or `,` (or a tab): the one that appears most often outside quotes on the header line. French
 * spreadsheets write `;` (the comma is their decimal separator), English ones `,`.
 */
export function detectDelimiter(text: string): ';' | ',' | '\t' {
	const counts = { ';': 0, ',': 0, '\t': 0 };
	let quoted = false;
	for (const char of text.slice(0, 4096)) {
		if (char === '"') quoted = !quoted;
		else if (!quoted && (char === '\n' || char === '\r')) break;
		else if (!quoted && char in counts) counts[char as keyof typeof counts]++;
	}
	if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) return '\t';
	return counts[','] > counts[';'] ? ',' : ';';
}

export type SheetProblem =
	| { code: 'empty' }
	| { code: 'malformed'; line: number | null }
	| { code: 'too_many_rows'; rows: number }
	| { code: 'too_many_columns'; columns: number }
	| { code: 'no_rows' };

/** What is wrong with the whole file (as opposed to one row). */
export type FileProblem = SheetProblem | { code: 'too_large'; bytes: number } | { code: 'no_file' };

export interface Sheet {
	delimiter: ';' | ',' | '\t';
	headers: string[];
	/** Data rows, each with the line of the file it starts on (for messages). */
	rows: { line: number; cells: string[] }[];
}

/** The text into a header and rows; a file that cannot be read as CSV is said, never thrown. */
export function readSheet(
	text: string
): { ok: true; sheet: Sheet } | { ok: false; problem: SheetProblem } {
	const clean = text.replace(/^\ufeff/, '');
	if (clean.trim() === '') return { ok: false, problem: { code: 'empty' } };
	const delimiter = detectDelimiter(clean);
	let records: { record: string[]; info: { lines: number } }[];
	try {
		records = parse(clean, {
			delimiter,
			info: true,
			relax_column_count: true,
			relax_quotes: true,
			skip_empty_lines: true,
			trim: true,
			// A runaway quote would otherwise swallow the rest of the file into one cell.
			max_record_size: 64 * 1024
		}) as unknown as { record: string[]; info: { lines: number } }[];
	} catch (error) {
		const line = (error as { lines?: unknown }).lines;
		return {
			ok: false,
			problem: { code: 'malformed', line: typeof line === 'number' ? line : null }
		};
	}
	const blank = (cells: string[]) => cells.every((c) => c === '');
	const kept = records.filter((r) => !blank(r.record));
	const [header, ...rows] = kept;
	if (header === undefined) return { ok: false, problem: { code: 'empty' } };
	const columns = Math.max(...kept.map((r) => r.record.length));
	if (columns > IMPORT_LIMITS.columns)
		return { ok: false, problem: { code: 'too_many_columns', columns } };
	if (rows.length === 0) return { ok: false, problem: { code: 'no_rows' } };
	if (rows.length > IMPORT_LIMITS.rows)
		return { ok: false, problem: { code: 'too_many_rows', rows: rows.length } };
	return {
		ok: true,
		sheet: {
			delimiter,
			headers: header.record,
			rows: rows.map((r) => ({ line: r.info.lines, cells: r.record }))
		}
	};
}

/** Lower case, no accents, letters and digits only: "Téléphone " → "telephone". */
function fold(s: string): string {
	return s
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
}

/** Folded headers each field answers to, most specific first. */
const HEADER_WORDS: Record<ImportField, string[]> = {
	civility: ['civilite', 'civ', 'title', 'titre', 'mmem'],
	firstName: ['prenom', 'firstname', 'givenname', 'forename', 'first'],
	lastName: [
		'nomcomplet',
		'nomprenom',
		'nometprenom',
		'nomdusage',
		'nomdenaissance',
		'nom',
		'fullname',
		'lastname',
		'surname',
		'familyname',
		'name',
		'patient',
		'beneficiaire',
		'client',
		'usager'
	],
	address: ['adresse', 'adressepostale', 'address', 'rue', 'street', 'domicile'],
	postcode: ['codepostal', 'cp', 'postcode', 'postalcode', 'zip', 'zipcode'],
	city: ['ville', 'commune', 'city', 'town', 'localite'],
	sector: ['secteur', 'sector', 'quartier', 'tournee', 'zone', 'area', 'district'],
	needs: ['besoins', 'besoin', 'soins', 'priseencharge', 'needs', 'care', 'actes', 'motif'],
	status: ['statut', 'status', 'etat', 'situation'],
	phone: ['telephone', 'tel', 'portable', 'mobile', 'phone', 'telephonedomicile', 'numero'],
	doctor: ['medecintraitant', 'medecin', 'doctor', 'gp', 'generaliste', 'mt']
};

/**
 * A first guess of the mapping from the header: an exact word first, then a header that starts
 * with one (« Téléphone domicile », « Nom de famille »). Each column fills one field at most.
 */
export function guessMapping(headers: readonly string[]): ColumnMapping {
	const folded = headers.map(fold);
	const taken = new Set<number>();
	const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
	const tries: ((h: string, w: string) => boolean)[] = [
		(h, w) => h === w,
		(h, w) => w.length >= 3 && h.startsWith(w)
	];
	for (const matches of tries) {
		for (const field of IMPORT_FIELDS) {
			if (mapping[field] !== null) continue;
			for (const word of HEADER_WORDS[field]) {
				const index = folded.findIndex((h, i) => !taken.has(i) && matches(h, word));
				if (index >= 0) {
					mapping[field] = index;
					taken.add(index);
					break;
				}
			}
		}
	}
	return mapping;
}

/** The mapping a form sent (`map_<field>` = column index or ''), bounded by the columns there are. */
export function mappingFromForm(get: (name: string) => unknown, columns: number): ColumnMapping {
	const mapping = Object.fromEntries(IMPORT_FIELDS.map((f) => [f, null])) as ColumnMapping;
	for (const field of IMPORT_FIELDS) {
		const raw = get(`map_${field}`);
		if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw)) continue;
		const index = Number(raw);
		if (index < columns) mapping[field] = index;
	}
	return mapping;
}

/** French and English words for a status; an empty cell is an active client. */
const STATUS_WORDS: Record<string, ClientStatus> = {
	'': 'active',
	actif: 'active',
	active: 'active',
	encours: 'active',
	oui: 'active',
	pause: 'paused',
	enpause: 'paused',
	paused: 'paused',
	suspendu: 'paused',
	hospitalise: 'paused',
	sorti: 'discharged',
	sortie: 'discharged',
	discharged: 'discharged',
	termine: 'discharged',
	fin: 'discharged'
};

type RowErrorCode =
	| 'name_missing'
	| 'too_long'
	| 'invalid_characters'
	| 'status_unknown'
	| 'phone_invalid'
	| 'duplicate_in_file'
	| 'already_on_caseload';

export interface RowError {
	/** Line of the file the row starts on (the header is line 1). */
	line: number;
	field: ImportField | null;
	code: RowErrorCode;
	/** The cell as given, cut short, to show what was read. */
	value: string;
	/** For a duplicate: the line it repeats. */
	otherLine?: number;
}

/** A checked row: what becomes a card. */
interface ImportedClient {
	line: number;
	name: string;
	address: string;
	sector: string;
	needs: string;
	status: ClientStatus;
	phone: string;
	doctor: string;
}

const line = (max: number) =>
	z.string().max(max, { error: 'too_long' }).refine(isCleanLine, { error: 'invalid_characters' });

/** One row once its cells are gathered, checked field by field (issues carry codes, never words). */
const rowSchema = z.object({
	name: z
		.string()
		.min(1, { error: 'name_missing' })
		.max(CARD_FIELD_MAX.name, { error: 'too_long' })
		.refine(isCleanLine, { error: 'invalid_characters' }),
	address: line(CARD_FIELD_MAX.address),
	sector: line(CARD_FIELD_MAX.sector),
	needs: z
		.string()
		.max(CARD_FIELD_MAX.needs, { error: 'too_long' })
		.refine(isCleanText, { error: 'invalid_characters' }),
	status: z.string().transform((s, ctx) => {
		const status = STATUS_WORDS[fold(s)];
		if (status === undefined) ctx.addIssue({ code: 'custom', message: 'status_unknown' });
		return status ?? 'active';
	}),
	phone: z
		.string()
		.max(CARD_FIELD_MAX.phone, { error: 'phone_invalid' })
		.refine((s) => s === '' || /^\+?[\d\s.()-]{6,}$/.test(s), { error: 'phone_invalid' }),
	doctor: line(CARD_FIELD_MAX.doctor)
});

/** Which import field a row-schema key came from (for the message). */
const SOURCE: Record<keyof z.infer<typeof rowSchema>, ImportField> = {
	name: 'lastName',
	address: 'address',
	sector: 'sector',
	needs: 'needs',
	status: 'status',
	phone: 'phone',
	doctor: 'doctor'
};

const joined = (...parts: string[]) =>
	parts
		.map((p) => p.trim())
		.filter((p) => p !== '')
		.join(' ');

/** The identity two rows (or a row and a card) share when they are the same person. */
export function identityKey(name: string, address: string): string {
	return `${fold(name)}|${fold(address)}`;
}

/** The cells of one row gathered into the card's fields, before any check. */
function gather(cells: readonly string[], mapping: ColumnMapping): Record<string, string> {
	const cell = (field: ImportField) => {
		const index = mapping[field];
		return index === null ? '' : (cells[index] ?? '').trim();
	};
	const street = cell('address');
	const town = joined(cell('postcode'), cell('city'));
	return {
		// A civility alone is no name.
		name:
			joined(cell('firstName'), cell('lastName')) === ''
				? ''
				: joined(cell('civility'), cell('firstName'), cell('lastName')),
		address: street !== '' && town !== '' ? `${street}, ${town}` : joined(street, town),
		sector: cell('sector'),
		needs: cell('needs'),
		status: cell('status'),
		phone: cell('phone'),
		doctor: cell('doctor')
	};
}

export interface ImportCheck {
	clients: ImportedClient[];
	errors: RowError[];
}

/**
 * Every row checked against the card's rules: the row schema, then the card's own parser (what it
 * would flag on screen is refused here), then duplicates within the file and against the cards the
 * caseload already holds (`existing`: identity keys). The import goes in whole only when `errors`
 * is empty.
 */
export function checkRows(
	sheet: Pick<Sheet, 'rows'>,
	mapping: ColumnMapping,
	existing: ReadonlySet<string> = new Set()
): ImportCheck {
	const clients: ImportedClient[] = [];
	const errors: RowError[] = [];
	const seen = new Map<string, number>();
	for (const row of sheet.rows) {
		const raw = gather(row.cells, mapping);
		const parsed = rowSchema.safeParse(raw);
		if (!parsed.success) {
			const fields = new Set<string>();
			for (const issue of parsed.error.issues) {
				const key = String(issue.path[0]) as keyof typeof SOURCE;
				if (fields.has(key)) continue;
				fields.add(key);
				errors.push({
					line: row.line,
					field: SOURCE[key] ?? null,
					code: issue.message as RowErrorCode,
					value: (raw[key] ?? '').slice(0, 40)
				});
			}
			continue;
		}
		const value = parsed.data;
		// The card as the caseload will read it: anything it would flag is not imported.
		const { problems } = parseClientCard('import', { ...value, visitPattern: [] });
		if (problems.length > 0) {
			errors.push({ line: row.line, field: 'lastName', code: 'name_missing', value: value.name });
			continue;
		}
		const key = identityKey(value.name, value.address);
		if (existing.has(key)) {
			errors.push({ line: row.line, field: null, code: 'already_on_caseload', value: value.name });
			continue;
		}
		const first = seen.get(key);
		if (first !== undefined) {
			errors.push({
				line: row.line,
				field: null,
				code: 'duplicate_in_file',
				value: value.name,
				otherLine: first
			});
			continue;
		}
		seen.set(key, row.line);
		clients.push({ line: row.line, ...value });
	}
	return { clients, errors };
}

/** The mapping is usable only when it says where the name is. */
export function mappingHasName(mapping: ColumnMapping): boolean {
	return mapping.lastName !== null || mapping.firstName !== null;
}

/** What the page shows between reading the file and importing it. */
export interface ImportPreview {
	/** The decoded text, sent back with the mapping form so the next step reads the same file. */
	text: string;
	encoding: Encoding;
	delimiter: string;
	headers: string[];
	mapping: ColumnMapping;
	rows: number;
	/** The first rows as they would become cards. */
	preview: ImportedClient[];
	ready: number;
	errors: RowError[];
	errorCount: number;
	/** No column holds the name: nothing can be imported until one is chosen. */
	nameUnmapped: boolean;
}
