const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether the dev outbox page may be shown: it lists every queued mail, reset links included, so
 * only when no mail can go out anyway (SMTP_URL unset), the app's public address is this machine
 * (`npm start`'s default ORIGIN) and the request comes from this machine. A deployment with a
 * real ORIGIN never serves it, even behind a local proxy; a signed-in member gets nothing more.
 */
export function devOutboxAllowed(input: {
	smtpUrl: string | null;
	origin: string;
	requestHost: string;
	clientAddress: string;
}): boolean {
	return (
		input.smtpUrl === null &&
		LOCAL_HOSTS.has(new URL(input.origin).hostname) &&
		LOCAL_HOSTS.has(input.requestHost) &&
		LOOPBACK_ADDRESSES.has(input.clientAddress)
	);
}
