import { describe, expect, it } from 'vitest';
import {
	checkRows,
	decodeBytes,
	detectDelimiter,
	guessMapping,
	identityKey,
	IMPORT_LIMITS,
	mappingFromForm,
	readSheet,
	type ColumnMapping
} from '../../src/lib/domain/caseload-import';

/** Windows-1252 bytes of a Latin-1 text (every character used here is below U+0100). */
const cp1252 = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
const utf8 = (text: string) => new TextEncoder().encode(text);

const FRENCH = [
	'Civilité;Prénom;Nom;Adresse;Code postal;Ville;Secteur;Téléphone;Médecin traitant;Statut',
	'Mme;Hélène;Lefèvre;12 rue de Cuire;69004;Lyon;Serin;04 78 12 34 56;Dr Martin;actif',
	'M.;André;Garnier;"3, montée de la Grande-Côte";69001;Lyon;Pentes;06 11 22 33 44;;en pause'
].join('\r\n');

function sheetOf(text: string) {
	const read = readSheet(text);
	if (!read.ok) throw new Error(`unreadable: ${JSON.stringify(read.problem)}`);
	return read.sheet;
}

describe('reading the file', () => {
	it('reads UTF-8, with or without a byte-order mark, and Windows-1252 to the same text', () => {
		const plain = decodeBytes(utf8(FRENCH));
		const withBom = decodeBytes(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(FRENCH)]));
		const windows = decodeBytes(cp1252(FRENCH));
		expect(plain).toEqual({ text: FRENCH, encoding: 'utf-8' });
		expect(withBom).toEqual({ text: FRENCH, encoding: 'utf-8' });
		expect(windows).toEqual({ text: FRENCH, encoding: 'windows-1252' });
		// The typographic apostrophe and the euro sign are where Windows-1252 differs from Latin-1.
		expect(decodeBytes(Uint8Array.from([0x64, 0x92, 0x80, 0x9c, 0xe9])).text).toBe('d’€œé');
	});

	it('detects the separator: semicolon, comma, tab, and ignores separators inside quotes', () => {
		expect(detectDelimiter('Nom;Adresse;Secteur\n')).toBe(';');
		expect(detectDelimiter('Name,Address,Sector\n')).toBe(',');
		expect(detectDelimiter('Nom\tAdresse\tSecteur\n')).toBe('\t');
		expect(detectDelimiter('"Nom, prénom";Adresse\n')).toBe(';');
	});

	it('reads both separators into the same rows, quoted commas kept, with their file lines', () => {
		const semicolon = sheetOf(FRENCH);
		const comma = sheetOf(
			FRENCH.split('\r\n')
				.map((l) => l.replaceAll(';', ','))
				.join('\n')
				.replace('"3, montée', '"3, montée')
		);
		expect(semicolon.delimiter).toBe(';');
		expect(comma.delimiter).toBe(',');
		expect(semicolon.headers).toEqual(comma.headers);
		expect(semicolon.rows).toEqual(comma.rows);
		expect(semicolon.rows[1]!.cells[3]).toBe('3, montée de la Grande-Côte');
		expect(semicolon.rows.map((r) => r.line)).toEqual([2, 3]);
	});

	it('says what is wrong with a file it cannot use, never throws', () => {
		expect(readSheet('')).toEqual({ ok: false, problem: { code: 'empty' } });
		expect(readSheet('\ufeff\r\n;;\r\n')).toEqual({ ok: false, problem: { code: 'empty' } });
		expect(readSheet('Nom;Adresse\n')).toEqual({ ok: false, problem: { code: 'no_rows' } });
		const tooMany = ['Nom', ...Array.from({ length: IMPORT_LIMITS.rows + 1 }, (_, i) => `P${i}`)];
		expect(readSheet(tooMany.join('\n'))).toEqual({
			ok: false,
			problem: { code: 'too_many_rows', rows: IMPORT_LIMITS.rows + 1 }
		});
		const wide = Array.from({ length: IMPORT_LIMITS.columns + 1 }, (_, i) => `c${i}`).join(';');
		expect(readSheet(`${wide}\n${wide}`)).toMatchObject({
			ok: false,
			problem: { code: 'too_many_columns' }
		});
		const unclosed = readSheet('Nom;Adresse\n"Mme Roux;1 rue\nM. Blanc;2 rue\n');
		expect(unclosed).toMatchObject({ ok: false, problem: { code: 'malformed' } });
		// Bytes that are not text at all still come back as a result.
		const noise = decodeBytes(Uint8Array.from({ length: 2000 }, (_, i) => (i * 151) % 256));
		expect(() => readSheet(noise.text)).not.toThrow();
	});
});

describe('mapping columns to card fields', () => {
	it('guesses French and English headers, each column once', () => {
		expect(guessMapping(sheetOf(FRENCH).headers)).toEqual({
			civility: 0,
			firstName: 1,
			lastName: 2,
			address: 3,
			postcode: 4,
			city: 5,
			sector: 6,
			phone: 7,
			doctor: 8,
			status: 9,
			needs: null
		});
		expect(guessMapping(['Full name', 'Address', 'Phone number', 'Needs', 'Area'])).toMatchObject({
			lastName: 0,
			address: 1,
			phone: 2,
			needs: 3,
			sector: 4,
			firstName: null
		});
		expect(guessMapping(['NOM DE FAMILLE', 'Prénom usuel', 'Tél.'])).toMatchObject({
			lastName: 0,
			firstName: 1,
			phone: 2
		});
	});

	it('takes the mapping a form sent, ignoring indexes past the columns and junk', () => {
		const form: Record<string, string> = { map_lastName: '2', map_address: '9', map_sector: 'x' };
		const mapping = mappingFromForm((name) => form[name], 4);
		expect(mapping.lastName).toBe(2);
		expect(mapping.address).toBeNull();
		expect(mapping.sector).toBeNull();
	});
});

describe('checking rows into cards', () => {
	const sheet = sheetOf(FRENCH);
	const mapping = guessMapping(sheet.headers);

	it('builds the name, the address with postcode and town, the status and the contacts', () => {
		const { clients, errors } = checkRows(sheet, mapping);
		expect(errors).toEqual([]);
		expect(clients[0]).toEqual({
			line: 2,
			name: 'Mme Hélène Lefèvre',
			address: '12 rue de Cuire, 69004 Lyon',
			sector: 'Serin',
			needs: '',
			status: 'active',
			phone: '04 78 12 34 56',
			doctor: 'Dr Martin'
		});
		expect(clients[1]).toMatchObject({ name: 'M. André Garnier', status: 'paused', doctor: '' });
	});

	it('names each bad row by its line, field and what was read', () => {
		const bad = sheetOf(
			[
				'Nom;Adresse;Statut;Téléphone',
				';1 rue Belfort;actif;', // no name
				'Mme Roux;2 rue Belfort;peut-être;', // unknown status
				`${'x'.repeat(121)};3 rue Belfort;;`, // name too long
				'M. Blanc;4 rue Belfort;;appeler le fils', // not a phone number
				'Mme Faure;5 rue Belfort;sortie;0478000000' // fine
			].join('\n')
		);
		const { clients, errors } = checkRows(bad, guessMapping(bad.headers));
		expect(clients.map((c) => [c.name, c.status])).toEqual([['Mme Faure', 'discharged']]);
		expect(errors).toEqual([
			{ line: 2, field: 'lastName', code: 'name_missing', value: '' },
			{ line: 3, field: 'status', code: 'status_unknown', value: 'peut-être' },
			{ line: 4, field: 'lastName', code: 'too_long', value: 'x'.repeat(40) },
			{ line: 5, field: 'phone', code: 'phone_invalid', value: 'appeler le fils' }
		]);
	});

	it('refuses a person twice in the file or already on the caseload (same name and address)', () => {
		const twice = sheetOf(
			'Nom;Adresse\nMme Roux;1 rue Belfort\nMME ROUX;1 Rue Belfort\nM. Roux;9 rue\n'
		);
		const existing = new Set([identityKey('M. Roux', '9 rue')]);
		const { clients, errors } = checkRows(twice, guessMapping(twice.headers), existing);
		expect(clients.map((c) => c.line)).toEqual([2]);
		expect(errors).toEqual([
			{ line: 3, field: null, code: 'duplicate_in_file', value: 'MME ROUX', otherLine: 2 },
			{ line: 4, field: null, code: 'already_on_caseload', value: 'M. Roux' }
		]);
	});

	it('refuses control characters a spreadsheet can hide in a cell', () => {
		const sneaky = sheetOf('Nom;Secteur\n"Mme\u0007Roux";Plateau\n');
		const { errors } = checkRows(sneaky, guessMapping(sneaky.headers));
		expect(errors).toMatchObject([{ line: 2, field: 'lastName', code: 'invalid_characters' }]);
	});

	it('reads nothing from columns that are not mapped', () => {
		const none = Object.fromEntries(Object.keys(mapping).map((k) => [k, null])) as ColumnMapping;
		const { clients, errors } = checkRows(sheet, { ...none, lastName: 2 });
		expect(errors).toEqual([]);
		expect(clients.map((c) => [c.name, c.address, c.phone])).toEqual([
			['Lefèvre', '', ''],
			['Garnier', '', '']
		]);
	});
});
