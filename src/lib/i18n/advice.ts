import type { AdviceRefusal, AdviceStage } from '$lib/domain/advice';
import { m } from '$lib/paraglide/messages';

export const adviceStageLabel = (stage: AdviceStage | string): string =>
	({
		asking: m.advice_stage_asking,
		decided: m.advice_stage_decided,
		withdrawn: m.advice_stage_withdrawn
	})[stage as AdviceStage]?.() ?? stage;

/** Why a move was refused, in the reader's language. */
export function adviceRefusalText(refusal: AdviceRefusal | { kind: 'invalid' }): string {
	switch (refusal.kind) {
		case 'sealed':
			return m.advice_refusal_sealed();
		case 'not-a-member':
			return m.advice_refusal_not_member();
		case 'not-the-decider':
			return m.advice_refusal_not_decider();
		case 'own-process':
			return m.advice_refusal_own();
		case 'text-required':
			return refusal.field === 'howShaped'
				? m.advice_refusal_how_shaped()
				: m.advice_refusal_text();
		case 'nobody-asked':
			return m.advice_refusal_nobody();
		case 'invalid-area':
		case 'invalid':
			return m.advice_refusal_invalid();
	}
}
