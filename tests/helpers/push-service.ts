import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer, globalAgent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A device as a browser would be: a P-256 key pair and an auth secret (RFC 8291). */
export function newDevice() {
	const ecdh = createECDH('prime256v1');
	ecdh.generateKeys();
	const auth = randomBytes(16);
	return {
		ecdh,
		auth,
		keys: {
			p256dh: ecdh.getPublicKey().toString('base64url'),
			auth: auth.toString('base64url')
		}
	};
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/**
 * Decrypts an `aes128gcm` push message body (RFC 8188 framing, RFC 8291 keys) with the device's
 * private key and auth secret, as the browser would. Throws if anything does not check out.
 */
export function decrypt(body: Buffer, device: ReturnType<typeof newDevice>): string {
	const salt = body.subarray(0, 16);
	const recordSize = body.readUInt32BE(16);
	const idLength = body[20]!;
	const senderPublic = body.subarray(21, 21 + idLength);
	const ciphertext = body.subarray(21 + idLength);
	if (ciphertext.length > recordSize) throw new Error('more than one record');
	const shared = device.ecdh.computeSecret(senderPublic);
	const keyInfo = Buffer.concat([
		Buffer.from('WebPush: info\0'),
		device.ecdh.getPublicKey(),
		senderPublic
	]);
	const ikm = hmac(hmac(device.auth, shared), Buffer.concat([keyInfo, Buffer.from([1])]));
	const prk = hmac(salt, ikm);
	const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
	const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
	const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
	decipher.setAuthTag(ciphertext.subarray(-16));
	const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, -16)), decipher.final()]);
	// The last record ends with the delimiter 0x02, then zero padding.
	const end = plain.lastIndexOf(2);
	if (end < 0 || plain.subarray(end + 1).some((b) => b !== 0)) throw new Error('bad padding');
	return plain.subarray(0, end).toString('utf8');
}

interface PushRequest {
	path: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

/** A certificate for 127.0.0.1, made by openssl for this test run only. */
function throwawayCertificate(): { key: Buffer; cert: Buffer } {
	const dir = mkdtempSync(path.join(tmpdir(), 'kring-push-'));
	try {
		execFileSync(
			'openssl',
			['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
				'-keyout',
				path.join(dir, 'key.pem'),
				'-out',
				path.join(dir, 'cert.pem'),
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1'
			]),
			{ stdio: 'ignore' }
		);
		return {
			key: readFileSync(path.join(dir, 'key.pem')),
			cert: readFileSync(path.join(dir, 'cert.pem'))
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * A push service on a local port, over HTTPS as real ones are (web-push sends only over https):
 * answers each request with the status `statusFor(path)` gives (201 by default) and keeps what
 * it received. Its throwaway certificate is trusted by this test process's default agent, which
 * web-push uses; nothing else here talks https.
 */
export async function startPushService(statusFor: (path: string) => number = () => 201) {
	const received: PushRequest[] = [];
	const waiters: { count: number; resolve: () => void }[] = [];
	const tls = throwawayCertificate();
	globalAgent.options.ca = tls.cert;
	const server = createServer(tls, (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
			res.statusCode = statusFor(req.url ?? '');
			res.end();
			for (const w of waiters.filter((w) => received.length >= w.count)) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `https://127.0.0.1:${port}`,
		received,
		waitFor: (count: number) =>
			received.length >= count
				? Promise.resolve()
				: new Promise<void>((resolve) => waiters.push({ count, resolve })),
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}
