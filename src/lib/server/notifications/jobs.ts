import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import { deliverDue, onEnqueue, type Transport } from '$lib/server/mail/outbox';
import { smtpTransport } from '$lib/server/mail/transport';
import { MINUTE_MS } from '$lib/domain/time';
import { runDailyDigest } from './digest';
import { sweepReminders } from './sweep';

const DELIVERY_TICK_MS = 30_000;
const SWEEP_TICK_MS = 5 * MINUTE_MS;

/**
 * The in-process timers, started once by the server's init hook: the reminder sweep and the
 * daily digest every five minutes (the digest runs once a day, see `runDailyDigest`), and, when
 * SMTP_URL is set, the outbox delivery every 30 s and at once after each new mail. Without
 * SMTP_URL mail stays in the outbox (listed at /dev/outbox). Timers never keep the process alive.
 */
export function startNotificationJobs(db: Db): () => void {
	const timers: NodeJS.Timeout[] = [];
	const guarded = (name: string, job: () => Promise<unknown>) => () =>
		void job().catch((error: unknown) => console.error(`[notifications] ${name} failed:`, error));

	const periodic = guarded('sweep/digest', async () => {
		await sweepReminders(db);
		await runDailyDigest(db, config.origin);
	});
	timers.push(setInterval(periodic, SWEEP_TICK_MS));
	setTimeout(periodic, 10_000).unref();

	let transport: (Transport & { close(): void }) | null = null;
	if (config.smtpUrl !== null) {
		transport = smtpTransport(config.smtpUrl, config.mailFrom);
		const t = transport;
		let running = false;
		let again = false;
		const deliver = guarded('delivery', async () => {
			if (running) {
				again = true;
				return;
			}
			running = true;
			try {
				do {
					again = false;
					await deliverDue(db, t);
				} while (again);
			} finally {
				running = false;
			}
		});
		onEnqueue(deliver);
		timers.push(setInterval(deliver, DELIVERY_TICK_MS));
	}
	for (const timer of timers) timer.unref();
	return () => {
		for (const timer of timers) clearInterval(timer);
		onEnqueue(null);
		transport?.close();
	};
}
