import { LiveDocument } from './live-document.svelte';

/**
 * Opens several live documents for as long as the calling component lives (the day opens the
 * caseload and two or three rota weeks). They are opened again when the list of names changes.
 */
export function useLiveDocuments(
	names: () => string[],
	userId: () => string
): { readonly current: LiveDocument[] } {
	let current = $state<LiveDocument[]>([]);
	$effect(() => {
		const documents = names().map((name) => new LiveDocument(name, userId()));
		const closes = documents.map((d) => d.connect());
		current = documents;
		return () => {
			for (const close of closes) close();
			current = [];
		};
	});
	return {
		get current() {
			return current;
		}
	};
}
