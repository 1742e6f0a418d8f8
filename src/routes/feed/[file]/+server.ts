import * as calendar from '$lib/server/rota/calendar-feed';
import { db } from '$lib/server/db';
import * as services from '$lib/server/services';
import type { RequestHandler } from './$types';

const notFound = () =>
	new Response('Not found', {
		status: 404,
		headers: { 'Content-Type': 'text/plain; charset=utf-8' }
	});

/**
 * A member's private calendar feed, `/feed/<token>.ics`, subscribed from a phone's calendar: the
 * secret token is the only key (calendar apps send no cookie). Unknown or revoked tokens, and
 * members who left the team, get a 404.
 */
export const GET: RequestHandler = async ({ params, url }) => {
	const match = /^([a-z2-7]{32})\.ics$/.exec(params.file);
	if (match === null) return notFound();
	const owner = await calendar.ownerOf(db, match[1]!);
	if (owner === null) return notFound();
	const body = await calendar.render(db, services.collab(), { ...owner, origin: url.origin });
	return new Response(body, {
		headers: {
			'Content-Type': 'text/calendar; charset=utf-8',
			'Cache-Control': 'private, no-store',
			'Content-Disposition': 'inline; filename="kring.ics"'
		}
	});
};
