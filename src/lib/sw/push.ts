/**
 * The service worker's side of Web Push: src/service-worker.ts wires them, e.g.
 * `self.addEventListener('push', onPush)` and `self.addEventListener('notificationclick', onNotificationClick)`.
 * The payload is what src/lib/server/notifications/push.ts sends (`PushPayload`): words and a
 * path on this site, never client health data.
 */
import type { PushPayload } from '$lib/domain/notifications';
import { isLocalLink } from '$lib/domain/notifications';

/** The parts of the service worker's events and scope used here (no webworker lib needed). */
interface WaitableEvent {
	waitUntil(promise: Promise<unknown>): void;
}
interface PushLikeEvent extends WaitableEvent {
	data: { json(): unknown } | null;
}
interface NotificationClickLikeEvent extends WaitableEvent {
	notification: { data: unknown; close(): void };
}
interface WindowClientLike {
	url: string;
	focus(): Promise<unknown>;
	navigate(url: string): Promise<unknown>;
}
interface WorkerScope {
	registration: {
		showNotification(title: string, options: Record<string, unknown>): Promise<void>;
	};
	clients: {
		matchAll(options: {
			type: 'window';
			includeUncontrolled: boolean;
		}): Promise<WindowClientLike[]>;
		openWindow(url: string): Promise<unknown>;
	};
	location: { origin: string };
}

const scope = () => globalThis as unknown as WorkerScope;

function readPayload(event: PushLikeEvent): PushPayload | null {
	try {
		const value = event.data?.json() as Partial<PushPayload> | undefined;
		if (typeof value?.body !== 'string' || typeof value.link !== 'string') return null;
		return {
			title: typeof value.title === 'string' ? value.title : 'Kring',
			body: value.body,
			link: isLocalLink(value.link) ? value.link : '/notifications'
		};
	} catch {
		return null;
	}
}

/** Shows the pushed notice; a payload it cannot read still says something happened. */
export function onPush(event: PushLikeEvent): void {
	const payload = readPayload(event) ?? { title: 'Kring', body: '', link: '/notifications' };
	event.waitUntil(
		scope().registration.showNotification(payload.title, {
			body: payload.body,
			data: { link: payload.link },
			icon: '/favicon.svg',
			tag: payload.link
		})
	);
}

/** Opens the notice's page: focusing a Kring window already open, or opening one. */
export function onNotificationClick(event: NotificationClickLikeEvent): void {
	event.notification.close();
	const data = event.notification.data as { link?: unknown } | null;
	const link =
		typeof data?.link === 'string' && isLocalLink(data.link) ? data.link : '/notifications';
	const { clients, location } = scope();
	const target = new URL(link, location.origin).href;
	event.waitUntil(
		clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
			const open = windows.find((w) => new URL(w.url).origin === location.origin);
			if (open === undefined) return clients.openWindow(target);
			await open.navigate(target);
			return open.focus();
		})
	);
}
