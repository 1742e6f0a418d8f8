import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as clientOwners from '../../src/lib/server/collab/engine/client-owners';
import { teamOfTwo } from '../helpers/collab-engine-harness';
import { createTestDatabase } from '../helpers/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let alice: string;
let bob: string;

beforeAll(async () => {
	database = await createTestDatabase();
	const team = await teamOfTwo(database.db);
	alice = team.alice.id;
	bob = team.bob.id;
});

afterAll(async () => {
	await database?.dispose();
});

describe('collab_client', () => {
	it('keeps the first owner of a client id, per document, the server included', async () => {
		const doc = 'team/t/meeting/m1';
		await clientOwners.save(database.db, [
			{ docName: doc, userId: alice, clientIds: [1, 4_000_000_000] },
			{ docName: doc, userId: null, clientIds: [7] },
			{ docName: 'team/t/meeting/m2', userId: bob, clientIds: [1] }
		]);
		await clientOwners.save(database.db, [{ docName: doc, userId: bob, clientIds: [1, 2] }]);
		const owners = await clientOwners.load(database.db, doc);
		expect(owners.owner(1)).toBe(alice);
		expect(owners.owner(4_000_000_000)).toBe(alice);
		expect(owners.owner(2)).toBe(bob);
		expect(owners.owner(7)).toBeNull();
		expect(owners.owner(3)).toBeUndefined();
		expect(owners.isLogged(1)).toBe(true);
		expect((await clientOwners.load(database.db, 'team/t/meeting/m2')).owner(1)).toBe(bob);
	});
});
