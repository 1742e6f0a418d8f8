// Stock y-websocket clients for the fuzzer: the provider a browser runs, with the session cookie and
// Origin a browser sends, optionally keeping a copy of every binary frame it sends (the recording
// the fuzzer mutates).
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { webSocketWith } from '../helpers/collab-client';

export interface Stock {
	doc: Y.Doc;
	provider: WebsocketProvider;
	synced: Promise<void>;
	destroy(): void;
}

export function openStock(
	origin: string,
	docName: string,
	session: string,
	record: ((frame: Uint8Array) => void) | null = null
): Stock {
	const Base = webSocketWith({ cookie: `session=${session}`, origin }) as unknown as new (
		url: string | URL,
		protocols?: string | string[]
	) => WebSocket;
	class Recording extends Base {
		send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
			if (record !== null && data instanceof Uint8Array) record(data.slice());
			super.send(data);
		}
	}
	const doc = new Y.Doc();
	const provider = new WebsocketProvider(`${origin.replace(/^http/, 'ws')}/collab`, docName, doc, {
		WebSocketPolyfill: (record === null ? Base : Recording) as unknown as typeof WebSocket,
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
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Resolves true once synced, false after `ms`. */
export function syncedWithin(client: Stock, ms: number): Promise<boolean> {
	return Promise.race([
		client.synced.then(() => true),
		new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))
	]);
}
