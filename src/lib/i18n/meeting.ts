import type { MeetingStep } from '$lib/domain/meeting';
import { m } from '$lib/paraglide/messages';

const stepLabels: Record<MeetingStep, () => string> = {
	'check-in': m['meeting_step_check-in'],
	agenda: m.meeting_step_agenda,
	figures: m.meeting_step_figures,
	caseload: m.meeting_step_caseload,
	rota: m.meeting_step_rota,
	kaizen: m.meeting_step_kaizen,
	proposals: m.meeting_step_proposals,
	elections: m.meeting_step_elections,
	'check-out': m['meeting_step_check-out']
};

/** A step of the team meeting, in the reader's language. */
export function stepLabel(step: MeetingStep): string {
	return stepLabels[step]();
}
