import { createHash } from 'node:crypto';

/** Longest key kept as it is; longer ones keep a prefix and a hash. */
const MAX_KEY = 200;
/** How much of an unsafe key stays readable in front of its hash. */
const PREFIX = 64;

/** Whether Postgres holds `text` as it is, in text and in jsonb: no NUL, no lone surrogate. */
const holds = (text: string): boolean => text.isWellFormed() && !text.includes('\u0000');

/**
 * A key as Postgres can hold and index it: text holds no NUL, JSON no lone surrogate, and a btree
 * index no entry past a few kilobytes. Readable keys (every key Kring writes) stay as they are; any
 * other becomes a readable prefix (NUL and lone surrogates as U+FFFD) plus a hash of the whole key,
 * so distinct keys stay distinct.
 */
export function indexableKey(key: string, max = MAX_KEY): string {
	if (key.length <= max && holds(key)) return key;
	const readable = storableText(key.slice(0, PREFIX));
	const hash = createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex').slice(0, 16);
	return `${readable}…#${hash}`;
}

/** Text as Postgres can hold it (in text and in jsonb): NUL and lone surrogates as U+FFFD. */
function storableText(text: string): string {
	return holds(text) ? text : text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

const keyFields = new Map<string, boolean>();
function isKeyField(field: string): boolean {
	let key = keyFields.get(field);
	if (key === undefined) keyFields.set(field, (key = field === 'id' || /Ids?$/.test(field)));
	return key;
}

/**
 * `value` as Postgres can hold it, however deep: its own strings (or an array's) through `clean`,
 * those of objects inside (their names too) through `storableText`. The same value, object or array,
 * when nothing in it changes.
 */
function storable(value: unknown, clean: (text: string) => string): unknown {
	if (typeof value === 'string') return clean(value);
	if (Array.isArray(value)) {
		let out: unknown[] | undefined;
		value.forEach((v: unknown, i) => {
			const c = storable(v, clean);
			if (c !== v) (out ??= value.slice())[i] = c;
		});
		return out ?? value;
	}
	if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
		let changed = false;
		const entries = Object.entries(value).map(([k, v]) => {
			const [ck, cv] = [storableText(k), storable(v, storableText)];
			if (ck !== k || cv !== v) changed = true;
			return [ck, cv] as const;
		});
		return changed ? Object.fromEntries(entries) : value;
	}
	return value;
}

/**
 * A row read from a document (which any member may fill with anything a Yjs update can carry) as
 * Postgres can store it: keys (`id`, `…Id`, `…Ids`) through `indexableKey`, every other string,
 * however deep, through `storableText`. Rows Kring's pages wrote come back as they are (the same
 * object: a rota week of 10,000 visits is checked at every projection).
 */
export function storableRow<Row extends Record<string, unknown>>(row: Row): Row {
	let out: Record<string, unknown> | undefined;
	for (const field in row) {
		const value = storable(row[field], isKeyField(field) ? indexableKey : storableText);
		if (value !== row[field]) (out ??= { ...row })[field] = value;
	}
	return (out ?? row) as Row;
}
