import { stringify } from 'csv-stringify/sync';

/** A cell a spreadsheet would run as a formula is written as text (CSV injection). */
const safeCell = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * A spreadsheet file as French office software opens it: `;`-separated, CRLF lines, a byte-order
 * mark so accents survive, and no cell that could run as a formula.
 */
export function toCsv(header: string[], rows: string[][]): string {
	return (
		'\ufeff' +
		stringify([header, ...rows.map((row) => row.map(safeCell))], {
			delimiter: ';',
			record_delimiter: 'windows'
		})
	);
}
