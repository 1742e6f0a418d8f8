/**
 * Calls `onseen` once, the first time the element is at least half on screen while the page is in
 * front: how a transmission counts as read by the person holding the phone.
 */
export function seen(node: HTMLElement, onseen: () => void) {
	let callback = onseen;
	let visible = false;
	let done = false;
	const check = () => {
		if (done || !visible || document.visibilityState !== 'visible') return;
		done = true;
		callback();
		observer.disconnect();
		document.removeEventListener('visibilitychange', check);
	};
	const observer = new IntersectionObserver(
		(entries) => {
			visible = entries.some((e) => e.isIntersecting);
			check();
		},
		{ threshold: 0.5 }
	);
	observer.observe(node);
	document.addEventListener('visibilitychange', check);
	return {
		update(next: () => void) {
			callback = next;
		},
		destroy() {
			observer.disconnect();
			document.removeEventListener('visibilitychange', check);
		}
	};
}
