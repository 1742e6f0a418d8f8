import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDocument, waitFor, type Client } from '../../helpers/collab-client';
import { freshDatabaseUrl, testTarget } from '../../helpers/database';
import { loadStoredAt } from '../../helpers/stored-document';
import { demo, logInAs, teamIdsOf } from '../../helpers/demo';
import { freePort, startServer, type RunningServer } from '../../helpers/server';

// Two built Kring instances on loopback behind Debian's nginx, configured with the very file the
// README tells you to install (deploy/nginx-kring.conf, ports rewritten), sharing one Postgres
// database. Stock y-websocket clients of one document connect through nginx and land on both
// instances; all converge; one instance is killed (SIGKILL) while they edit, its clients reconnect
// through nginx to the other, and nothing anyone typed is lost. Postgres only: PGlite is one
// process's own database.

const NGINX = '/usr/sbin/nginx';

let databaseUrl: string;
let disposeDatabase: () => Promise<void>;
const instances: RunningServer[] = [];
let nginx: ChildProcess | null = null;
let nginxDir: string;
let origin: string;
const clients: Client[] = [];

async function startNginx(port: number, ports: number[]): Promise<string> {
	if (spawnSync(NGINX, ['-v']).status !== 0) {
		throw new Error(
			`nginx is needed for the multi-instance test: apt-get install -y nginx (looked for ${NGINX})`
		);
	}
	nginxDir = mkdtempSync(path.join(tmpdir(), 'kring-nginx-'));
	for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
		mkdirSync(path.join(nginxDir, dir));
	chmodSync(nginxDir, 0o777);
	let site = readFileSync(path.resolve('deploy/nginx-kring.conf'), 'utf8');
	const upstreams = [...site.matchAll(/server 127\.0\.0\.1:\d+/g)];
	expect(upstreams).toHaveLength(ports.length);
	ports.forEach((p, i) => (site = site.replace(upstreams[i]![0], `server 127.0.0.1:${p}`)));
	site = site.replace(/listen 80;/, `listen 127.0.0.1:${port};`);
	writeFileSync(path.join(nginxDir, 'kring.conf'), site);
	const temp = (kind: string) =>
		`${kind}_temp_path ${path.join(nginxDir, kind === 'client_body' ? 'body' : kind)};`;
	writeFileSync(
		path.join(nginxDir, 'nginx.conf'),
		[
			'daemon off;',
			'worker_processes 1;',
			`pid ${path.join(nginxDir, 'nginx.pid')};`,
			`error_log ${path.join(nginxDir, 'error.log')} warn;`,
			'events { worker_connections 256; }',
			'http {',
			'access_log off;',
			...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp),
			`include ${path.join(nginxDir, 'kring.conf')};`,
			'}'
		].join('\n')
	);
	let log = '';
	nginx = spawn(NGINX, ['-c', path.join(nginxDir, 'nginx.conf'), '-p', nginxDir], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	nginx.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
	const url = `http://127.0.0.1:${port}`;
	const deadline = Date.now() + 10_000;
	for (;;) {
		if (nginx.exitCode !== null) throw new Error(`nginx exited: ${log}`);
		try {
			if ((await fetch(`${url}/api/health`)).ok) return url;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`nginx did not answer: ${log}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

describe.skipIf(testTarget() !== 'postgres')('two instances behind nginx', () => {
	beforeAll(async () => {
		const fresh = await freshDatabaseUrl();
		databaseUrl = fresh.url;
		disposeDatabase = fresh.dispose;
		// Both instances must know nginx's address as theirs (the WebSocket Origin check reads it).
		const port = await freePort();
		const env = { ORIGIN: `http://127.0.0.1:${port}` };
		// One at a time: the first migrates and seeds the demo, the second finds both done.
		for (let i = 0; i < 2; i++) instances.push(await startServer({ databaseUrl, env }));
		origin = await startNginx(
			port,
			instances.map((i) => Number(new URL(i.origin).port))
		);
	}, 180_000);

	afterAll(async () => {
		for (const c of clients) c.destroy();
		nginx?.kill('SIGTERM');
		for (const i of instances) await i.stop();
		await disposeDatabase?.();
		if (nginxDir) rmSync(nginxDir, { recursive: true, force: true });
	});

	it('serves pages from both, converges clients split across them, and survives losing one', async () => {
		const member = await logInAs(origin, demo.memberA);
		const [teamId] = await teamIdsOf(member);
		expect(teamId).toBeDefined();
		// Every page request may land on either instance: the session is in the shared database.
		for (let i = 0; i < 6; i++) expect((await member.get(`/teams/${teamId}`)).status).toBe(200);

		const docName = `team/${teamId}/rota/2100-W01`;
		const cookie = member.sessionCookie!;
		for (let i = 0; i < 6; i++) clients.push(openDocument(origin, docName, cookie));
		await Promise.all(clients.map((c) => c.synced));
		const typed = clients.map(() => [] as string[]);
		const type = (round: string) =>
			clients.forEach((c, i) => {
				const line = `client ${i} ${round}`;
				c.doc.getArray<string>('lines').push([line]);
				typed[i]!.push(line);
			});
		const everywhere = () => typed.flat().sort().join('|');
		const seenBy = (c: Client) => c.doc.getArray<string>('lines').toArray().sort().join('|');

		type('before');
		await waitFor(
			() => clients.every((c) => seenBy(c) === everywhere()),
			'all to converge',
			10_000
		);

		// Kill one instance mid-edit, as a crash would: its clients drop and come back through nginx.
		const dropped = new Set<number>();
		clients.forEach((c, i) =>
			c.provider.on(
				'status',
				({ status }: { status: string }) => status === 'disconnected' && dropped.add(i)
			)
		);
		type('during');
		await instances[0]!.kill();
		type('after');
		await waitFor(
			() => clients.every((c) => c.provider.wsconnected && c.provider.synced),
			'everyone back',
			20_000
		);
		type('back');
		await waitFor(
			() => clients.every((c) => seenBy(c) === everywhere()),
			'all to converge again',
			20_000
		);

		// The clients really were split: some lost their instance, the others never noticed.
		expect(dropped.size).toBeGreaterThan(0);
		expect(dropped.size).toBeLessThan(clients.length);
		// Nothing anyone typed is lost: a newcomer sees it all, and so does Postgres.
		const newcomer = openDocument(origin, docName, cookie);
		clients.push(newcomer);
		await newcomer.synced;
		expect(seenBy(newcomer)).toBe(everywhere());
		await waitFor(
			async () =>
				seenBy({ doc: await loadStoredAt(databaseUrl, docName) } as Client) === everywhere(),
			'Postgres to hold every line'
		);
		expect(typed.flat()).toHaveLength(24);
	}, 120_000);
});
