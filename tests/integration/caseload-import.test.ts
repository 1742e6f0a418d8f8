import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readCards } from '../../src/lib/collab/caseload';
import { isolatedSince } from '../../src/lib/collab/server-presence';
import { decodeBytes, guessMapping, readSheet } from '../../src/lib/domain/caseload-import';
import { importCaseload, previewImport } from '../../src/lib/server/caseload/import';
import { PostgresDocStore } from '../../src/lib/server/collab/engine/postgres-store';
import type { LogEntry } from '../../src/lib/server/collab/engine/store';
import * as teams from '../../src/lib/server/teams/teams';
import { openDocument, waitFor, type Client } from '../helpers/collab-client';
import { startEngine, teamOfTwo, type Engine } from '../helpers/collab-engine-harness';
import { createTestDatabase } from '../helpers/database';

// A spreadsheet of 30 clients into a team's live caseload document, through the server module the
// import page calls, on the real database of the run, watched by a stock y-websocket client.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let team: Awaited<ReturnType<typeof teamOfTwo>>;
const engines: Engine[] = [];
const clients: Client[] = [];

beforeAll(async () => {
	database = await createTestDatabase();
	team = await teamOfTwo(database.db);
}, 300_000);

afterAll(async () => {
	for (const client of clients) client.destroy();
	for (const e of engines) await e.stop();
	await database?.dispose();
});

const caseload = (teamId: string) => `team/${teamId}/caseload`;

/** 30 clients as a French office suite saves them: `;`, CRLF, Windows-1252. Two rows may be broken. */
function spreadsheet(broken: boolean): Uint8Array {
	const rows = ['Civilité;Prénom;Nom;Adresse;CP;Ville;Secteur;Téléphone;Statut;Besoins'];
	for (let i = 1; i <= 30; i++) {
		let last = `Lefèvre-${i}`;
		let status = i % 10 === 0 ? 'en pause' : 'actif';
		if (broken && i === 7) last = ''; // no name (and no first name: see below)
		if (broken && i === 20) status = 'à voir';
		const first = broken && i === 7 ? '' : i % 2 ? 'Hélène' : 'André';
		rows.push(
			[
				i % 2 ? 'Mme' : 'M.',
				first,
				last,
				`${i} rue d’Austerlitz`,
				'69004',
				'Lyon',
				i % 3 ? 'Plateau' : 'Pentes',
				`04 78 00 00 ${String(i).padStart(2, '0')}`,
				status,
				'"Toilette, aide au lever"'
			].join(';')
		);
	}
	const text = rows.join('\r\n') + '\r\n';
	// Windows-1252: Latin-1 for these letters, and 0x92 for the typographic apostrophe.
	return Uint8Array.from([...text].map((c) => (c === '’' ? 0x92 : c.charCodeAt(0))));
}

function textOf(bytes: Uint8Array): string {
	const decoded = decodeBytes(bytes);
	expect(decoded.encoding).toBe('windows-1252');
	return decoded.text;
}

function mappingOf(text: string) {
	const read = readSheet(text);
	if (!read.ok) throw new Error('unreadable');
	return guessMapping(read.sheet.headers);
}

async function logRows(docName: string): Promise<number> {
	const result = await database.db.execute(
		sql`select count(*)::int as n from collab_update where doc_name = ${docName}`
	);
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
		n: number;
	}[];
	return Number(rows[0]!.n);
}

describe('importing a caseload from a spreadsheet', () => {
	it('refuses a file with two bad rows whole, then imports the fixed file in one change a stock client sees', async () => {
		const e = await startEngine(database.db, new PostgresDocStore(database.db), {
			commitWindowMs: 5
		});
		engines.push(e);
		const docName = caseload(team.teamId);
		const watcher = openDocument(e.origin, docName, team.bob.token);
		clients.push(watcher);
		await watcher.synced;

		const bad = textOf(spreadsheet(true));
		const preview = await previewImport(e.collab, team.teamId, {
			text: bad,
			encoding: 'windows-1252',
			mapping: null
		});
		expect(preview.ok).toBe(true);
		if (!preview.ok) return;
		expect(preview.preview).toMatchObject({ rows: 30, ready: 28, errorCount: 2, delimiter: ';' });
		expect(preview.preview.preview[0]).toMatchObject({
			name: 'Mme Hélène Lefèvre-1',
			address: '1 rue d’Austerlitz, 69004 Lyon',
			needs: 'Toilette, aide au lever'
		});

		const before = await logRows(docName);
		const refused = await importCaseload(e.collab, team.teamId, {
			text: bad,
			mapping: mappingOf(bad)
		});
		expect(refused).toEqual({
			kind: 'refused',
			errorCount: 2,
			errors: [
				{ line: 8, field: 'lastName', code: 'name_missing', value: '' },
				{ line: 21, field: 'status', code: 'status_unknown', value: 'à voir' }
			]
		});
		// Nothing half-applied: no card, not a byte in the document's log.
		expect(await logRows(docName)).toBe(before);
		expect(await e.collab.read(docName, (doc) => readCards(doc).length)).toBe(0);

		let updates = 0;
		watcher.doc.on('update', () => updates++);
		const good = textOf(spreadsheet(false));
		const imported = await importCaseload(e.collab, team.teamId, {
			text: good,
			mapping: mappingOf(good)
		});
		expect(imported).toEqual({ kind: 'imported', count: 30 });
		// One change: one row in the log, one update relayed.
		expect(await logRows(docName)).toBe(before + 1);
		await waitFor(
			() => readCards(watcher.doc).length === 30,
			'the stock client sees 30 cards',
			60_000
		);
		expect(updates).toBe(1);
		const cards = readCards(watcher.doc);
		expect(cards.every(({ problems }) => problems.length === 0)).toBe(true);
		const helene = cards.find(({ card }) => card.name === 'Mme Hélène Lefèvre-1')!.card;
		expect(helene).toMatchObject({
			address: '1 rue d’Austerlitz, 69004 Lyon',
			sector: 'Plateau',
			status: 'active',
			needs: 'Toilette, aide au lever'
		});
		expect(helene.contacts).toEqual([
			expect.objectContaining({ kind: 'other', phone: '04 78 00 00 01' })
		]);
		expect(cards.filter(({ card }) => card.status === 'paused')).toHaveLength(3);
		// The care plan and notes are live texts, as on a card made by hand.
		const raw = (watcher.doc.getMap('clients').get(helene.id) as Y.Map<unknown>).get('carePlan');
		expect(raw).toBeInstanceOf(Y.Text);

		// The same file again: every row is already there, and nothing is written.
		const again = await importCaseload(e.collab, team.teamId, {
			text: good,
			mapping: mappingOf(good)
		});
		expect(again).toMatchObject({ kind: 'refused', errorCount: 30 });
		expect(await logRows(docName)).toBe(before + 1);
	}, 120_000);

	it('answers an isolated caseload with its own outcome, writing nothing', async () => {
		// The real store, made to refuse (as Postgres does, 22P05) an update carrying a marker.
		class RefusingStore extends PostgresDocStore {
			override async append(entries: LogEntry[]): Promise<void> {
				for (const entry of entries)
					if (Buffer.from(entry.update).includes('POISON'))
						entry.touched = [{ entry: 'm/a\u0000b', field: '' }];
				return super.append(entries);
			}
		}
		const e = await startEngine(database.db, new RefusingStore(database.db), {
			commitWindowMs: 5
		});
		engines.push(e);
		const teamId = await teams.create(database.db, {
			name: 'Équipe isolée',
			creatorId: team.alice.id,
			profession: 'nurse',
			contractMinutes: 2100
		});
		const token = team.alice.token;
		const docName = caseload(teamId);
		const poisoner = openDocument(e.origin, docName, token);
		// The writer of the refused update is closed; a colleague's board says the document is isolated.
		const colleague = openDocument(e.origin, docName, token);
		clients.push(poisoner, colleague);
		await Promise.all([poisoner.synced, colleague.synced]);
		const before = await logRows(docName);
		poisoner.doc.getMap('m').set('POISON', 1);
		await waitFor(
			() => isolatedSince(colleague.provider.awareness.getStates().values()) !== null,
			'the caseload isolated',
			60_000
		);
		const text = textOf(spreadsheet(false));
		const outcome = await importCaseload(e.collab, teamId, { text, mapping: mappingOf(text) });
		expect(outcome).toEqual({ kind: 'isolated' });
		expect(await logRows(docName)).toBe(before);
	}, 120_000);
});
