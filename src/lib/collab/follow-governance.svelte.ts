import type * as Y from 'yjs';
import { invalidateAll } from '$app/navigation';
import { navigating } from '$app/state';
import { useLiveDocument } from './live-document.svelte';

/**
 * Follows the server's word on a page: the governance document is written by the server after
 * every recorded move (decisions, elections, advice, meetings). When the part this page shows
 * changes there, someone else moved, and the page reloads its data.
 *
 * Reloading the data does not reopen the document (see useLiveDocument). Only a synced copy is
 * compared (an empty copy still connecting is not news); once it first syncs, the page reloads its
 * data once, since a move may have landed between the page's load and the sync. Nothing reloads
 * while the person is leaving the page (it would cancel their navigation).
 */
export function followGovernance(
	teamId: () => string,
	userId: () => string,
	line: (doc: Y.Doc) => unknown
): void {
	const opened = useLiveDocument(() => `team/${teamId()}/governance`, userId);
	let seen = '';
	$effect(() => {
		const live = opened.current;
		if (live === null || (live.status !== 'saved' && live.status !== 'saving')) return;
		void live.version;
		const now = JSON.stringify(line(live.doc) ?? null);
		if (seen === '' || now !== seen) {
			if (navigating.to === null) void invalidateAll();
		}
		seen = now;
	});
}
