import { createHash } from 'node:crypto';

/** Longest key kept as it is; longer ones keep a prefix and a hash. */
const MAX_KEY = 200;
/** How much of an unsafe key stays readable in front of its hash. */
const PREFIX = 64;

/**
 * A key as Postgres can hold and index it: text holds no NUL, JSON no lone surrogate, and a btree
 * index no entry past a few kilobytes. Readable keys (every key Kring writes) stay as they are; any
 * other becomes a readable prefix (NUL and lone surrogates as U+FFFD) plus a hash of the whole key,
 * so distinct keys stay distinct.
 */
export function indexableKey(key: string, max = MAX_KEY): string {
	if (key.length <= max && key.isWellFormed() && !key.includes('\u0000')) return key;
	const readable = key.slice(0, PREFIX).toWellFormed().replaceAll('\u0000', '\uFFFD');
	const hash = createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex').slice(0, 16);
	return `${readable}…#${hash}`;
}

/** Text as Postgres can hold it (in text and in jsonb): NUL and lone surrogates as U+FFFD. */
function storableText(text: string): string {
	return text.isWellFormed() && !text.includes('\u0000')
		? text
		: text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

const keyFields = new Map<string, boolean>();
function isKeyField(field: string): boolean {
	let key = keyFields.get(field);
	if (key === undefined) keyFields.set(field, (key = field === 'id' || /Ids?$/.test(field)));
	return key;
}

/** Whether Postgres holds `value` as it is: a key as `indexableKey` keeps it, any other text too. */
function asIs(value: unknown, key: boolean): boolean {
	if (typeof value === 'string')
		return (!key || value.length <= MAX_KEY) && value.isWellFormed() && !value.includes('\u0000');
	if (Array.isArray(value)) return value.every((v) => asIs(v, key));
	if (value !== null && typeof value === 'object' && !(value instanceof Date))
		return Object.entries(value).every(([k, v]) => asIs(k, false) && asIs(v, false));
	return true;
}

/**
 * A row read from a document (which any member may fill with anything a Yjs update can carry) as
 * Postgres can store it: keys (`id`, `…Id`, `…Ids`) through `indexableKey`, every other string,
 * however deep, through `storableText`. Rows Kring's pages wrote come back as they are (the same
 * object: a rota week of 10,000 visits is checked at every projection).
 */
export function storableRow<Row extends Record<string, unknown>>(row: Row): Row {
	let clean = true;
	for (const field in row) if (!asIs(row[field], isKeyField(field))) clean = false;
	if (clean) return row;
	const out: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(row)) {
		if (isKeyField(field) && typeof value === 'string') out[field] = indexableKey(value);
		else if (isKeyField(field) && Array.isArray(value))
			out[field] = value.map((v: unknown) => (typeof v === 'string' ? indexableKey(v) : v));
		else out[field] = storableValue(value);
	}
	return out as Row;
}

function storableValue(value: unknown): unknown {
	if (typeof value === 'string') return storableText(value);
	if (Array.isArray(value)) return value.map(storableValue);
	if (value !== null && typeof value === 'object' && !(value instanceof Date))
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v)])
		);
	return value;
}
