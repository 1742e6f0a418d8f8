// A CPU profile of a running Node process, taken over its inspector, at a moment chosen by a log:
//
//   node scripts/profile-inspector.js <log file> <pattern> <wait s> <length s> <out.cpuprofile>
//
// Waits until a line of <log file> matches <pattern> (a regular expression), then <wait s>, then
// profiles for <length s> the first target on 127.0.0.1:9229 and writes the profile (open it in
// Chromium's DevTools). For the last phase of the long fuzz, whose server is killed at the end
// (so `--cpu-prof` never writes): start the fuzz with
// `KRING_SERVER_NODE_FLAGS=--inspect=127.0.0.1:9229 npm run fuzz > fuzz.log`, and beside it
// `node scripts/profile-inspector.js fuzz.log "phase 2: .*honest clients synced" 60 60 late.cpuprofile`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';

const args = process.argv.slice(2);
if (args.length !== 5) {
	console.error('usage: profile-inspector.js <log> <pattern> <wait s> <length s> <out.cpuprofile>');
	process.exit(2);
}
const [log, pattern, wait, length, out] = /** @type {[string, string, string, string, string]} */ (
	args
);
/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const matcher = new RegExp(pattern);
while (!(existsSync(log) && matcher.test(readFileSync(log, 'utf8')))) await sleep(1_000);
console.info(`${new Date().toISOString()} matched; profiling in ${wait} s`);
await sleep(Number(wait) * 1_000);

const [target] = await (await fetch('http://127.0.0.1:9229/json/list')).json();
const socket = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
let lastId = 0;
const waiting = new Map();
socket.on('message', (data) => {
	const message = JSON.parse(data.toString());
	waiting.get(message.id)?.(message.result);
	waiting.delete(message.id);
});
/** @param {string} method @param {object} [params] @returns {Promise<any>} */
const call = (method, params = {}) =>
	new Promise((resolve) => {
		waiting.set(++lastId, resolve);
		socket.send(JSON.stringify({ id: lastId, method, params }));
	});
await call('Profiler.enable');
await call('Profiler.setSamplingInterval', { interval: 1_000 });
await call('Profiler.start');
await sleep(Number(length) * 1_000);
const { profile } = await call('Profiler.stop');
writeFileSync(out, JSON.stringify(profile));
console.info(`${new Date().toISOString()} written to ${out}`);
socket.close();
