import * as Y from 'yjs';
import { addClient, clientsOf } from '$lib/collab/caseload';
import {
	checkRows,
	decodeBytes,
	guessMapping,
	identityKey,
	IMPORT_LIMITS,
	mappingHasName,
	readSheet,
	type ColumnMapping,
	type Encoding,
	type ImportCheck,
	type ImportPreview,
	type RowError,
	type FileProblem
} from '$lib/domain/caseload-import';
import { DocumentIsolatedError } from '$lib/server/collab/engine/room';
import type { CollabServer } from '$lib/server/collab/server';
import { caseloadDoc } from './history';

/**
 * A spreadsheet of clients into the team's caseload document (rules in
 * src/lib/domain/caseload-import.ts): read and checked for the preview, then written by the
 * server in one change, all rows or none.
 */

type Collab = Pick<CollabServer, 'read' | 'change'>;

/** Identity keys of the cards the caseload holds now. */
function keysOf(doc: Y.Doc): Set<string> {
	const keys = new Set<string>();
	for (const card of clientsOf(doc).values()) {
		if (!(card instanceof Y.Map)) continue;
		const field = (k: string) => (typeof card.get(k) === 'string' ? (card.get(k) as string) : '');
		keys.add(identityKey(field('name'), field('address')));
	}
	return keys;
}

/** The uploaded file's bytes into text; a file over the limit is not read at all. */
export function decodeUpload(
	bytes: Uint8Array
): { ok: true; text: string; encoding: Encoding } | { ok: false; problem: FileProblem } {
	if (bytes.length === 0) return { ok: false, problem: { code: 'empty' } };
	if (bytes.length > IMPORT_LIMITS.fileBytes)
		return { ok: false, problem: { code: 'too_large', bytes: bytes.length } };
	return { ok: true, ...decodeBytes(bytes) };
}

/** Text sent back by the mapping form: bounded like the file it came from. */
export function textWithinLimit(text: string): boolean {
	// Windows-1252 bytes become at most three UTF-16 units (€ is one, é is one): twice is generous.
	return text.length <= IMPORT_LIMITS.fileBytes * 2;
}

function check(
	text: string,
	mapping: ColumnMapping | null,
	existing: ReadonlySet<string>
):
	| { ok: false; problem: FileProblem }
	| { ok: true; mapping: ColumnMapping; check: ImportCheck; sheet: ReturnType<typeof readSheet> } {
	const read = readSheet(text);
	if (!read.ok) return { ok: false, problem: read.problem };
	const used = mapping ?? guessMapping(read.sheet.headers);
	const result = mappingHasName(used)
		? checkRows(read.sheet, used, existing)
		: { clients: [], errors: [] };
	return { ok: true, mapping: used, check: result, sheet: read };
}

/** What the file would become with this mapping (a guessed one when null), for the preview. */
export async function previewImport(
	collab: Collab,
	teamId: string,
	input: { text: string; encoding: Encoding; mapping: ColumnMapping | null }
): Promise<{ ok: true; preview: ImportPreview } | { ok: false; problem: FileProblem }> {
	const existing = await collab.read(caseloadDoc(teamId), keysOf);
	const checked = check(input.text, input.mapping, existing);
	if (!checked.ok) return checked;
	const sheet = checked.sheet.ok ? checked.sheet.sheet : null;
	if (sheet === null) return { ok: false, problem: { code: 'empty' } };
	return {
		ok: true,
		preview: {
			text: input.text,
			encoding: input.encoding,
			delimiter: sheet.delimiter,
			headers: sheet.headers,
			mapping: checked.mapping,
			rows: sheet.rows.length,
			preview: checked.check.clients.slice(0, IMPORT_LIMITS.previewRows),
			ready: checked.check.clients.length,
			errors: checked.check.errors.slice(0, IMPORT_LIMITS.errorsShown),
			errorCount: checked.check.errors.length,
			nameUnmapped: !mappingHasName(checked.mapping)
		}
	};
}

export type ImportOutcome =
	| { kind: 'imported'; count: number }
	| { kind: 'refused'; errors: RowError[]; errorCount: number }
	| { kind: 'no_name' }
	| { kind: 'problem'; problem: FileProblem }
	/** The caseload document is read-only for now (isolated): nothing was written. */
	| { kind: 'isolated' };

/**
 * Every row of the file into the caseload as new cards, in one change written by the server: all
 * of them, or none when any row has an error (checked again inside the change, against the cards
 * the document holds at that moment, so a colleague adding the same person meanwhile is caught).
 */
export async function importCaseload(
	collab: Collab,
	teamId: string,
	input: { text: string; mapping: ColumnMapping },
	now = new Date()
): Promise<ImportOutcome> {
	if (!mappingHasName(input.mapping)) return { kind: 'no_name' };
	const read = readSheet(input.text);
	if (!read.ok) return { kind: 'problem', problem: read.problem };
	const refused = (errors: RowError[]): ImportOutcome => ({
		kind: 'refused',
		errors: errors.slice(0, IMPORT_LIMITS.errorsShown),
		errorCount: errors.length
	});
	// Checked first without writing, so a refused file leaves no trace in the document's log.
	const first = checkRows(
		read.sheet,
		input.mapping,
		await collab.read(caseloadDoc(teamId), keysOf)
	);
	if (first.errors.length > 0) return refused(first.errors);
	let outcome: ImportOutcome = { kind: 'imported', count: 0 };
	try {
		await collab.change(caseloadDoc(teamId), (doc) => {
			const { clients, errors } = checkRows(read.sheet, input.mapping, keysOf(doc));
			if (errors.length > 0) {
				outcome = refused(errors);
				return;
			}
			for (const c of clients) {
				const contacts = [
					...(c.phone === ''
						? []
						: [{ kind: 'other' as const, name: c.name, phone: c.phone, note: '' }]),
					...(c.doctor === '' ? [] : [{ kind: 'gp' as const, name: c.doctor, phone: '', note: '' }])
				];
				addClient(
					doc,
					crypto.randomUUID(),
					{
						name: c.name,
						address: c.address,
						sector: c.sector,
						status: c.status,
						needs: c.needs,
						contacts
					},
					now
				);
			}
			outcome = { kind: 'imported', count: clients.length };
		});
	} catch (error) {
		if (error instanceof DocumentIsolatedError) return { kind: 'isolated' };
		throw error;
	}
	return outcome;
}
