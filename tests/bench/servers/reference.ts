// The y-websocket reference server, unmodified: @y/websocket-server's own `src/server.js` (its own
// `ws`, in-memory documents, no persistence), started as its bin would be, with HOST and PORT.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { announce, portFromEnv } from './child';

const port = portFromEnv();
process.env.HOST = '127.0.0.1';
const manifest = createRequire(import.meta.url).resolve('@y/websocket-server/package.json');
// eslint-disable-next-line no-console -- its "running at …" line, put back after
const log = console.log;
// eslint-disable-next-line no-console
console.log = () => {};
await import(pathToFileURL(path.join(path.dirname(manifest), 'src/server.js')).href);
// eslint-disable-next-line no-console
console.log = log;
await announce(port, { stop: async () => {} });
