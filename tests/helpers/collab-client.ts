import WS from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** The `ws` WebSocket with a browser's cookie and Origin, for the stock y-websocket provider. */
export function webSocketWith(headers: Record<string, string>): typeof WebSocket {
	class HeaderedWebSocket extends WS {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers });
		}
	}
	return HeaderedWebSocket as unknown as typeof WebSocket;
}

export interface Client {
	doc: Y.Doc;
	provider: WebsocketProvider;
	/** Resolves once the first sync is done; rejects, naming the document, after `SYNC_DEADLINE_MS`. */
	readonly synced: Promise<void>;
	destroy(): void;
}

/** Opens a document with the stock `WebsocketProvider`, as a browser would (same origin, session cookie). */
export function openDocument(
	origin: string,
	docName: string,
	sessionCookie: string,
	publicOrigin = origin
): Client {
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${origin.replace(/^http/, 'ws')}/collab`, docName, doc, {
		WebSocketPolyfill: webSocketWith({ cookie: `session=${sessionCookie}`, origin: publicOrigin }),
		disableBc: true,
		maxBackoffTime: 500
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
	});
	return {
		doc,
		provider,
		// Made on first use, so a client nobody waits for leaves no rejection behind.
		get synced() {
			return settlesWithin(synced, SYNC_DEADLINE_MS, `${docName} to sync`);
		},
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** The HTTP status a raw upgrade attempt gets, or 101 when it is accepted. */
export function upgradeStatus(
	url: string,
	headers: Record<string, string>
): Promise<{ status: number; messages: number }> {
	return new Promise((resolve, reject) => {
		const socket = new WS(url, { headers });
		let messages = 0;
		socket.on('message', () => messages++);
		socket.on('unexpected-response', (_request, response) => {
			resolve({ status: response.statusCode ?? 0, messages });
			socket.terminate();
		});
		socket.on('open', () => {
			setTimeout(() => {
				socket.close();
				resolve({ status: 101, messages });
			}, 200);
		});
		socket.on('error', (error) => {
			if (!String(error.message).includes('Unexpected server response')) reject(error);
		});
	});
}

/** How long a stock client may take to sync before a test says which document never did. */
const SYNC_DEADLINE_MS = 10_000;

/** `promise`, or an error naming `what` once `ms` have passed without it settling. */
export function settlesWithin<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const late = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

export async function waitFor(
	check: () => boolean | Promise<boolean>,
	what: string,
	timeoutMs = 5_000
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
