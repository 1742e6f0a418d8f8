import * as Y from 'yjs';
import type { DecodedUpdate } from './update-guard';

/**
 * Checks an update on a scratch document before it touches the real one: some crafted updates
 * throw half-way or loop for a long time inside Yjs (yjs issues #479 and #687). Null when it
 * throws, or takes more than `deadlineMs` of CPU time; else the update decoded, for the guard
 * (update-guard.ts), so it is decoded once.
 */
export function checkSafeUpdate(update: Uint8Array, deadlineMs: number): DecodedUpdate | null {
	const started = performance.now();
	const decoded = appliesOnScratch(update);
	if (decoded === null) return null;
	if (performance.now() - started < deadlineMs) return decoded;
	// Slow by the clock, which a loaded machine can be: measure again in CPU time (the CPU
	// clock costs a system call, so only on this rare path).
	const cpu = process.cpuUsage();
	appliesOnScratch(update);
	const spent = process.cpuUsage(cpu);
	return (spent.user + spent.system) / 1000 < deadlineMs ? decoded : null;
}

function appliesOnScratch(update: Uint8Array): DecodedUpdate | null {
	// A fixed guid: a random one per update costs a good share of the CPU under load.
	const scratch = new Y.Doc({ guid: 'scratch' });
	try {
		const decoded = Y.decodeUpdate(update);
		Y.applyUpdate(scratch, update);
		return decoded;
	} catch {
		return null;
	} finally {
		scratch.destroy();
	}
}
