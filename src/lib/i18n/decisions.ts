import type { AnswerKind, Area, Refusal, Stage } from '$lib/domain/consent';
import { m } from '$lib/paraglide/messages';

export const areaLabel = (area: Area | string): string =>
	({
		caseload: m.decision_area_caseload,
		rota: m.decision_area_rota,
		team: m.decision_area_team,
		roles: m.decision_area_roles,
		other: m.decision_area_other
	})[area as Area]?.() ?? area;

export const stageLabel = (stage: Stage | string): string =>
	({
		questions: m.decision_stage_questions,
		reactions: m.decision_stage_reactions,
		round: m.decision_stage_round,
		adopted: m.decision_stage_adopted,
		withdrawn: m.decision_stage_withdrawn,
		lapsed: m.decision_stage_lapsed
	})[stage as Stage]?.() ?? stage;

export const answerLabel = (kind: AnswerKind): string =>
	({
		consent: m.decision_answer_consent,
		concern: m.decision_answer_concern,
		objection: m.decision_answer_objection
	})[kind]();

export const refusalText = (reason: Refusal | 'invalid'): string =>
	({
		sealed: m.decision_refusal_sealed,
		'not-a-participant': m.decision_refusal_not_participant,
		'not-the-proposer': m.decision_refusal_not_proposer,
		'wrong-stage': m.decision_refusal_wrong_stage,
		'not-current-version': m.decision_refusal_not_current,
		'reason-required': m.decision_refusal_reason,
		'no-such-question': m.decision_refusal_invalid,
		'no-objection-to-withdraw': m.decision_refusal_invalid,
		'text-required': m.decision_refusal_text,
		invalid: m.decision_refusal_invalid
	})[reason]();
