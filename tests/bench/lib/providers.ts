// Real providers editing alongside the raw load: the stock y-websocket WebsocketProvider (Kring,
// the reference) and HocuspocusProvider (Hocuspocus). They type into a shared text at random
// places and must end with the same document as each other and as a client that joins last.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WS from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { webSocketWith } from '../../helpers/collab-client';
import type { Load } from './load';
import type { RunningServer } from './servers';
import { targetOf } from './servers';
import { until } from './stats';

export interface Editor {
	doc: Y.Doc;
	synced: Promise<void>;
	destroy(): void;
}

export function openEditor(server: RunningServer, docName: string, id: number): Editor {
	const doc = new Y.Doc();
	const target = targetOf(server);
	if (server.kind === 'hocuspocus') {
		// Node 20 has no WebSocket of its own: the provider's socket gets `ws`.
		const socket = new HocuspocusProviderWebsocket({ url: target.base, WebSocketPolyfill: WS });
		const provider = new HocuspocusProvider({
			websocketProvider: socket,
			name: docName,
			document: doc
		});
		provider.attach();
		const synced = new Promise<void>((resolve) => {
			if (provider.isSynced) resolve();
			else provider.on('synced', () => resolve());
		});
		return {
			doc,
			synced,
			destroy() {
				provider.destroy();
				socket.destroy();
				doc.destroy();
			}
		};
	}
	const provider = new WebsocketProvider(target.base, docName, doc, {
		WebSocketPolyfill: webSocketWith(target.headers(id)),
		disableBc: true,
		maxBackoffTime: 500
	});
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve();
		else provider.once('sync', (isSynced: boolean) => isSynced && resolve());
	});
	return {
		doc,
		synced,
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/** Each editor types one letter a tick (`perSecond` ticks a second) at a random place. */
export function startTyping(editors: Editor[], perSecond: number): () => void {
	const timers = editors.map((editor) =>
		setInterval(() => {
			const text = editor.doc.getText('notes');
			const letter = String.fromCharCode(97 + Math.floor(Math.random() * 26));
			text.insert(Math.floor(Math.random() * (text.length + 1)), letter);
		}, 1000 / perSecond)
	);
	return () => timers.forEach(clearInterval);
}

/**
 * Convergence: the editors end with one text, and a client joining now (through the server's
 * copy, from Postgres for Kring after the load) has that text and every writer's last marker.
 */
export async function checkConvergence(
	server: RunningServer,
	editors: Editor[],
	load: Load,
	docName: string
): Promise<string[]> {
	const failures: string[] = [];
	const texts = () => editors.map((e) => e.doc.getText('notes').toString());
	const agreed = await until(() => new Set(texts()).size === 1, 10_000);
	if (!agreed)
		failures.push(
			`${server.kind} ${docName}: editors differ (${texts()
				.map((t) => t.length)
				.join(' vs ')} letters)`
		);
	const late = openEditor(server, docName, 99);
	try {
		const joined = await Promise.race([
			late.synced.then(() => true),
			new Promise((r) => setTimeout(() => r(false), 10_000))
		]);
		if (!joined) {
			failures.push(`${server.kind} ${docName}: a late client did not sync in 10 s`);
			return failures;
		}
		const lateText = late.doc.getText('notes').toString();
		if (lateText !== texts()[0])
			failures.push(`${server.kind} ${docName}: the late client's text differs from the editors'`);
		if (lateText.length === 0) failures.push(`${server.kind} ${docName}: nothing was typed`);
		const map = late.doc.getMap<string>('bench');
		for (const [key, marker] of load.lastMarkers(docName)) {
			if (map.get(key) !== marker)
				failures.push(`${server.kind} ${docName}: ${key} ends at ${map.get(key)}, sent ${marker}`);
		}
	} finally {
		late.destroy();
	}
	return failures;
}
