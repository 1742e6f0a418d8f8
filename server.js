// Production entry: the SvelteKit app (adapter-node's handler) and the live board's WebSocket
// server on one Node HTTP server and one port. `npm start` runs this after building.
import http from 'node:http';
import process from 'node:process';
// Importing the handler runs the app's init hook: migrations, demo seed, the collab instance.
import { handler } from './build/handler.js';

const collab = globalThis[Symbol.for('kring.collab')];
if (!collab) throw new Error('the collab server was not created by the init hook');

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_TIMEOUT || 30) * 1000;

const server = http.createServer((req, res) =>
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	})
);

server.on('upgrade', (req, socket, head) => {
	if ((req.url ?? '').startsWith('/collab/')) {
		collab.handleUpgrade(req, socket, head).catch((/** @type {unknown} */ error) => {
			console.error('[collab] upgrade failed:', error);
			socket.destroy();
		});
	} else {
		socket.destroy();
	}
});

server.listen(port, host, () => console.info(`Listening on http://${host}:${port}`));

let stopping = false;
/** @param {string} reason */
async function shutdown(reason) {
	if (stopping) return;
	stopping = true;
	const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
	server.close();
	server.closeIdleConnections();
	try {
		// Every pending live-board update is written before the database closes.
		await collab.close();
	} catch (error) {
		console.error('[collab] shutdown:', error);
	}
	clearTimeout(force);
	// The app's own shutdown listeners (closing the database) run on this event, as with adapter-node.
	process.emit(/** @type {any} */ ('sveltekit:shutdown'), reason);
	setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
