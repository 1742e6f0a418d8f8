import { json } from '@sveltejs/kit';
import { db } from '$lib/server/db';
import { ping } from '$lib/server/db/open';
import type { RequestHandler } from './$types';

/** Liveness for load balancers and the start script: answers once the database does. */
export const GET: RequestHandler = async () => {
	await ping(db);
	return json({ ok: true });
};
