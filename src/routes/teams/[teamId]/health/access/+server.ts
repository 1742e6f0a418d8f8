import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * Polled by the open health page: the team guard (hooks.server.ts) runs first, so this answers
 * only while the person still has access; a coach whose access was revoked gets 404, and the page
 * leaves at once.
 */
export const GET: RequestHandler = ({ locals }) =>
	json({ ok: true, kind: locals.team?.kind ?? null }, { headers: { 'cache-control': 'no-store' } });
