import webpush from 'web-push';
import { afterAll, describe, expect, it } from 'vitest';
import { demo, logInAs } from '../../helpers/demo';
import { startServer, type RunningServer } from '../../helpers/server';

// Push keys given by configuration: the built app signs with them (the opt-in page hands the
// browser that public key), and half a pair stops the start with a clear message.

const servers: RunningServer[] = [];
afterAll(async () => {
	for (const s of servers) await s.stop();
});

describe('VAPID keys from the configuration', () => {
	it('are the ones a device subscribes with', async () => {
		const keys = webpush.generateVAPIDKeys();
		const server = await startServer({
			env: {
				VAPID_PUBLIC_KEY: keys.publicKey,
				VAPID_PRIVATE_KEY: keys.privateKey,
				VAPID_SUBJECT: 'mailto:equipe@example.org'
			}
		});
		servers.push(server);
		const member = await logInAs(server.origin, demo.memberA);
		const page = await (await member.get('/notifications')).text();
		expect(page).toContain(keys.publicKey);
	});

	it('must come as a pair', async () => {
		const keys = webpush.generateVAPIDKeys();
		await expect(startServer({ env: { VAPID_PUBLIC_KEY: keys.publicKey } })).rejects.toThrow(
			/VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together/
		);
	});
});
