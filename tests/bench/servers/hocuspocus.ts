// Hocuspocus 3.4's standalone server with its database extension storing to the bench's Postgres,
// in a table of its own. Its defaults are kept: a document is stored 2 s after its last change (at
// most 10 s after the first), and when its last connection leaves. Its fetches (loads) are counted
// per document, as Kring's store loads are (S4's join storm).
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';
import postgres from 'postgres';
import { announce, portFromEnv } from './child';

const port = portFromEnv();
const sql = postgres(process.env.DATABASE_URL!, { max: 10, onnotice: () => {} });
await sql`create table if not exists hocuspocus_document (
	name text primary key,
	data bytea not null,
	updated_at timestamptz not null default now()
)`;

const fetches = new Map<string, number>();

const server = new Server({
	port,
	address: '127.0.0.1',
	quiet: true,
	stopOnSignals: false,
	extensions: [
		new Database({
			fetch: async ({ documentName }) => {
				fetches.set(documentName, (fetches.get(documentName) ?? 0) + 1);
				const rows = await sql<{ data: Buffer }[]>`
					select data from hocuspocus_document where name = ${documentName}`;
				return rows[0] ? new Uint8Array(rows[0].data) : null;
			},
			store: async ({ documentName, state }) => {
				await sql`insert into hocuspocus_document (name, data) values (${documentName}, ${state})
					on conflict (name) do update set data = excluded.data, updated_at = now()`;
			}
		})
	]
});
await server.listen();
await announce(port, {
	stats: () => ({ openDocuments: server.hocuspocus.documents.size }),
	loads: (documentName) => fetches.get(documentName) ?? 0,
	async stop() {
		await server.destroy();
		await sql.end({ timeout: 5 });
	}
});
