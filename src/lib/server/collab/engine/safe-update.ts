import * as Y from 'yjs';

/**
 * Checks an update on a scratch document before it touches the real one: some crafted updates
 * throw half-way or loop for a long time inside Yjs (yjs issues #479 and #687). False when it
 * throws, or takes more than `deadlineMs` of CPU time.
 */
export function isSafeUpdate(update: Uint8Array, deadlineMs: number): boolean {
	const started = performance.now();
	if (!appliesOnScratch(update)) return false;
	if (performance.now() - started < deadlineMs) return true;
	// Slow by the clock, which a loaded machine can be: measure again in CPU time (the CPU
	// clock costs a system call, so only on this rare path).
	const cpu = process.cpuUsage();
	appliesOnScratch(update);
	const spent = process.cpuUsage(cpu);
	return (spent.user + spent.system) / 1000 < deadlineMs;
}

function appliesOnScratch(update: Uint8Array): boolean {
	// A fixed guid: a random one per update costs a good share of the CPU under load.
	const scratch = new Y.Doc({ guid: 'scratch' });
	try {
		Y.decodeUpdate(update);
		Y.applyUpdate(scratch, update);
		return true;
	} catch {
		return false;
	} finally {
		scratch.destroy();
	}
}
