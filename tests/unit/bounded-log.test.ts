import { describe, expect, it, vi } from 'vitest';
import { boundedLog } from '../../src/lib/server/collab/engine/bounded-log';

function recorder() {
	const lines: { level: string; text: string }[] = [];
	const at =
		(level: string) =>
		(...args: unknown[]) =>
			lines.push({ level, text: args.join(' ') });
	return { lines, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('the bounded log of warnings about clients', () => {
	it('writes a burst, then counts what it does not write and says how many once', () => {
		vi.useFakeTimers();
		try {
			const { lines, log } = recorder();
			const bounded = boundedLog(log, { perSecond: 2, burst: 5, summaryMs: 10_000 });
			for (let i = 0; i < 50; i++) bounded.warn(`refused ${i}`);
			bounded.error('the store failed');
			bounded.info('saved again');
			expect(lines.filter((l) => l.level === 'warn').map((l) => l.text)).toEqual([
				'refused 0',
				'refused 1',
				'refused 2',
				'refused 3',
				'refused 4'
			]);
			// Errors and information about the server itself are never held back.
			expect(lines.map((l) => l.level)).toContain('error');
			expect(lines.map((l) => l.level)).toContain('info');
			vi.advanceTimersByTime(10_000);
			expect(lines.at(-1)?.text).toMatch(
				/^\[collab\] 45 more warnings about clients not written since /
			);
			// The rate refilled meanwhile: warnings are written again.
			bounded.warn('refused later');
			expect(lines.at(-1)?.text).toBe('refused later');
			bounded.flush();
			expect(lines.at(-1)?.text).toBe('refused later');
		} finally {
			vi.useRealTimers();
		}
	});
});
