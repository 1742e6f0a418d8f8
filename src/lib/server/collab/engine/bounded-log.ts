import { Bucket } from './bucket';
import type { Log } from './room';

/**
 * Warnings about clients (refused updates, floods, bad frames) at a bounded rate: a hostile client
 * earns a refusal per frame, and writing each one would let it spend the server's time and disk on
 * logging. Past `perSecond` (after a burst), warnings are counted, not written, and the count is
 * written once per `summaryMs`. Info and errors (the server's own state) always go through.
 */
export function boundedLog(
	log: Log,
	options: { perSecond?: number; burst?: number; summaryMs?: number } = {}
): Log & { flush(): void } {
	const bucket = new Bucket(options.perSecond ?? 20, options.burst ?? 100);
	let suppressed = 0;
	let since = Date.now();
	const flush = () => {
		if (suppressed > 0)
			log.warn(
				`[collab] ${suppressed} more warnings about clients not written since ${new Date(since).toISOString()} (rate bounded)`
			);
		suppressed = 0;
		since = Date.now();
	};
	let timer: ReturnType<typeof setInterval> | null = null;
	return {
		info: (...args: unknown[]) => log.info(...args),
		error: (...args: unknown[]) => log.error(...args),
		warn: (...args: unknown[]) => {
			if (bucket.take()) return log.warn(...args);
			if (suppressed++ === 0) since = Date.now();
			if (timer === null) {
				timer = setTimeout(() => {
					timer = null;
					flush();
				}, options.summaryMs ?? 10_000);
				timer.unref?.();
			}
		},
		flush
	};
}
