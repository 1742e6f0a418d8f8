import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as it arrived at the SMTP server: envelope, headers (lower-case names), bodies. */
interface Received {
	from: string;
	to: string[];
	headers: Map<string, string>;
	text: string;
	html: string;
	raw: string;
}

export interface TestSmtp {
	url: string;
	received: Received[];
	/** Resolves once `count` messages have arrived. */
	waitFor(count: number): Promise<Received[]>;
	/** The next `n` messages are refused with a 451 (a temporary failure). */
	refuseNext(n: number): void;
	close(): Promise<void>;
}

/**
 * A real SMTP server on a free local port (the `smtp-server` package), no TLS, no auth, keeping
 * what arrives, as mail would reach a relay.
 */
export async function startSmtp(): Promise<TestSmtp> {
	const received: Received[] = [];
	const waiters: { count: number; resolve: (r: Received[]) => void }[] = [];
	let refusals = 0;
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => chunks.push(c));
			stream.on('end', () => {
				if (refusals > 0) {
					refusals--;
					const error = new Error('try again later') as Error & { responseCode: number };
					error.responseCode = 451;
					callback(error);
					return;
				}
				const raw = Buffer.concat(chunks).toString('utf8');
				received.push({
					from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
					to: session.envelope.rcptTo.map((r) => r.address),
					...parse(raw),
					raw
				});
				for (const w of waiters.filter((w) => received.length >= w.count)) {
					waiters.splice(waiters.indexOf(w), 1);
					w.resolve(received.slice());
				}
				callback();
			});
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as AddressInfo;
	return {
		url: `smtp://127.0.0.1:${port}`,
		received,
		waitFor: (count) =>
			received.length >= count
				? Promise.resolve(received.slice())
				: new Promise((resolve) => waiters.push({ count, resolve })),
		refuseNext: (n) => {
			refusals = n;
		},
		close: () => new Promise((resolve) => server.close(() => resolve()))
	};
}

function splitHead(part: string): { headers: Map<string, string>; body: string } {
	const at = part.indexOf('\r\n\r\n');
	const head = at < 0 ? part : part.slice(0, at);
	const body = at < 0 ? '' : part.slice(at + 4);
	const headers = new Map<string, string>();
	for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon > 0) {
			headers.set(
				line.slice(0, colon).trim().toLowerCase(),
				decodeWords(line.slice(colon + 1).trim())
			);
		}
	}
	return { headers, body };
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`). */
function decodeWords(value: string): string {
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(
			/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g,
			(_, _charset: string, enc: string, text: string) =>
				enc.toUpperCase() === 'B'
					? Buffer.from(text, 'base64').toString('utf8')
					: qp(text.replaceAll('_', ' '))
		);
}

function qp(text: string): string {
	const bytes: number[] = [];
	const soft = text.replace(/=\r?\n/g, '');
	for (let i = 0; i < soft.length; i++) {
		if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
			bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(soft[i]!, 'utf8'));
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

function decodeBody(headers: Map<string, string>, body: string): string {
	const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
	if (encoding === 'base64')
		return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') return qp(body);
	return body;
}

function parse(raw: string): { headers: Map<string, string>; text: string; html: string } {
	const { headers, body } = splitHead(raw);
	const type = headers.get('content-type') ?? 'text/plain';
	const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
	let text = '';
	let html = '';
	const parts = boundary
		? body
				.split(`--${boundary}`)
				.slice(1, -1)
				.map((p) => splitHead(p.replace(/^\r\n/, '')))
		: [{ headers, body }];
	for (const part of parts) {
		const partType = part.headers.get('content-type') ?? 'text/plain';
		const decoded = decodeBody(part.headers, part.body);
		if (partType.startsWith('text/html')) html = decoded;
		else if (partType.startsWith('text/plain')) text = decoded;
	}
	return { headers, text, html };
}
