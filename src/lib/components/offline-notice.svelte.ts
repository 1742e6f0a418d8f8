// One notice says a page is offline. A page that shows its data from this device's copy (a client's
// card, the day) says it itself, with the copy's time and what happens to edits
// (OfflineCopyNotice.svelte); while it does, the layout's offline banner (OfflineStatus.svelte) and
// the document's "offline" status pill (LiveStatus.svelte) step aside instead of repeating it.

let speaking = $state(0);

/** Whether a page's own notice is saying, right now, that it is offline and from when. */
export const offlineNotice = {
	get shown(): boolean {
		return speaking > 0;
	}
};

/** Claims the offline message for a page's own notice; returns the release (for `$effect`). */
export function claimOfflineNotice(): () => void {
	speaking++;
	let released = false;
	return () => {
		if (released) return;
		released = true;
		speaking--;
	};
}
