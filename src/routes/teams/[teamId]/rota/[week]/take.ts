import { deserialize } from '$app/forms';
import type { Qualification } from '$lib/domain/caseload';
import type { TakeRefusal } from '$lib/domain/rota-swap';
import type { SwapNotice } from '$lib/domain/team-rules';
import { takeRefusalText } from '$lib/i18n/rota-take';

/**
 * Takes a visit (offered, or to cover) through the page's `take` action: the server decides, first
 * come first served, and the grid sees the change live. The refusal, if any, as a sentence.
 */
export async function takeOnServer(visitId: string): Promise<string | null> {
	const body = new FormData();
	body.set('visitId', visitId);
	const response = await fetch('?/take', {
		method: 'POST',
		body,
		headers: { 'x-sveltekit-action': 'true' }
	});
	const result = deserialize(await response.text());
	if (result.type === 'success') return null;
	const take =
		result.type === 'failure'
			? (result.data?.take as
					| { refusal: TakeRefusal; needs: Qualification | null; notice: SwapNotice | null }
					| undefined)
			: undefined;
	return takeRefusalText(
		take === undefined
			? { reason: 'not-offered' }
			: { reason: take.refusal, needs: take.needs, notice: take.notice }
	);
}
