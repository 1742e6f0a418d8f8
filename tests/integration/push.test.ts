import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushSubscriptionSchema } from '../../src/lib/domain/notifications';
import * as accounts from '../../src/lib/server/accounts/accounts';
import { pushSubscription, user } from '../../src/lib/server/db/schema';
import { notify } from '../../src/lib/server/notifications/notify';
import { pushToUser, subscribe, vapid } from '../../src/lib/server/notifications/push';
import * as teams from '../../src/lib/server/teams/teams';
import { createTestDatabase } from '../helpers/database';
import { decrypt, newDevice, startPushService } from '../helpers/push-service';

// Web Push end to end without the internet: web-push encrypts for a device whose keys the test
// holds, a local HTTP server plays the push service, and the test decrypts what arrived.

const ORIGIN = 'http://localhost:3000';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let service: Awaited<ReturnType<typeof startPushService>>;
let userId: string;
let teamId: string;

beforeAll(async () => {
	database = await createTestDatabase();
	service = await startPushService((path) => (path.startsWith('/gone') ? 410 : 201));
	const created = await accounts.signUp(database.db, {
		name: 'Aïcha Benali',
		email: 'aicha@example.org',
		password: 'a long enough password',
		address: '127.0.0.1'
	});
	if (!created.ok) throw new Error(created.reason);
	userId = created.userId;
	await database.db.update(user).set({ locale: 'en' }).where(eq(user.id, userId));
	teamId = await teams.create(database.db, {
		name: 'Équipe Test',
		creatorId: userId,
		profession: 'nurse',
		contractMinutes: 2100
	});
});
afterAll(async () => {
	await service.close();
	await database.dispose();
});

describe('web push', () => {
	it('validates a subscription: an https endpoint and both keys', () => {
		const { keys } = newDevice();
		expect(
			pushSubscriptionSchema.safeParse({ endpoint: 'https://push.example/abc', keys }).success
		).toBe(true);
		expect(pushSubscriptionSchema.safeParse({ endpoint: `${service.url}/x`, keys }).success).toBe(
			true
		);
		for (const bad of [
			{ endpoint: 'http://push.example/abc', keys },
			{ endpoint: 'http://127.0.0.1:8080/abc', keys },
			{ endpoint: 'javascript:alert(1)', keys },
			{ endpoint: 'https://push.example/abc', keys: { ...keys, auth: 'short' } },
			{ endpoint: 'https://push.example/abc', keys: { p256dh: keys.p256dh } }
		]) {
			expect(pushSubscriptionSchema.safeParse(bad).success).toBe(false);
		}
	});

	it('keeps one VAPID key pair, made once', async () => {
		const a = await vapid(database.db, 'mailto:x@example.org');
		const b = await vapid(database.db, 'mailto:x@example.org');
		expect(a.publicKey).toBe(b.publicKey);
		expect(Buffer.from(a.publicKey, 'base64url')).toHaveLength(65);
	});

	it('sends an urgent notice encrypted for the device, in its owner’s language', async () => {
		const device = newDevice();
		await subscribe(database.db, userId, {
			endpoint: `${service.url}/device-1`,
			keys: device.keys
		});
		const before = service.received.length;
		await notify(database.db, {
			teamId,
			recipients: [userId],
			kind: 'colleague_sick',
			params: { colleague: 'Sophie Garnier', visits: 3 },
			link: `/teams/${teamId}/rota`
		});
		await service.waitFor(before + 1);
		const request = service.received[before]!;
		expect(request.path).toBe('/device-1');
		expect(request.headers['content-encoding']).toBe('aes128gcm');
		expect(request.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
		// The body is not readable without the device's keys…
		expect(request.body.toString('latin1')).not.toContain('Sophie');
		// …and decrypts, with them, to the notice.
		expect(JSON.parse(decrypt(request.body, device))).toEqual({
			title: 'Kring',
			body: 'Sophie Garnier cannot come in. Visits to cover: 3.',
			link: `/teams/${teamId}/rota`
		});
	});

	it('removes a subscription whose endpoint answers 410 Gone, and keeps the others', async () => {
		const gone = newDevice();
		await subscribe(database.db, userId, { endpoint: `${service.url}/gone-1`, keys: gone.keys });
		const result = await pushToUser(database.db, ORIGIN, userId, {
			kind: 'swap_taken',
			params: { date: '2026-12-07', start: '08:30', clientInitials: 'M. D.', takenBy: 'Camille' },
			link: `/teams/${teamId}/rota/2026-W50`
		});
		expect(result).toEqual({ sent: 1, removed: 1 });
		const left = await database.db.select().from(pushSubscription);
		expect(left.map((s) => s.endpoint)).toEqual([`${service.url}/device-1`]);
	});
});
