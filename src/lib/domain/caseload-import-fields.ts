/**
 * What the import page needs in the browser: the card fields a column can fill and the limits.
 * Apart from caseload-import.ts, whose CSV parser (csv-parse) needs Node's Buffer and must stay
 * out of the pages' JavaScript.
 */

/** What one import may hold: a caseload is tens of people, never thousands. */
export const IMPORT_LIMITS = {
	/** Bytes of the file (well under the request body limit, so the message is ours). */
	fileBytes: 256 * 1024,
	/** Rows of clients, header excluded. */
	rows: 500,
	columns: 40,
	/** Row errors listed on the page; the rest are counted. */
	errorsShown: 50,
	/** Rows shown in the preview. */
	previewRows: 8
} as const;

/** The card fields a column can fill. `lastName` holds a full name when no first-name column is mapped. */
export const IMPORT_FIELDS = [
	'civility',
	'firstName',
	'lastName',
	'address',
	'postcode',
	'city',
	'sector',
	'needs',
	'status',
	'phone',
	'doctor'
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Field → column index (0-based), or null when the field is not imported. */
export type ColumnMapping = Record<ImportField, number | null>;
