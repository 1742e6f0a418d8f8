import type { Colour, PulseQuestion } from '$lib/domain/pulse';
import { m } from '$lib/paraglide/messages';

/** The question, in the reader's language. */
export function pulseQuestion(question: PulseQuestion): string {
	switch (question) {
		case 'energy':
			return m.pulse_q_energy();
		case 'workload':
			return m.pulse_q_workload();
		case 'teamwork':
			return m.pulse_q_teamwork();
		case 'decisions':
			return m.pulse_q_decisions();
	}
}

/** The question in a word, for the figures. */
export function pulseQuestionShort(question: PulseQuestion): string {
	switch (question) {
		case 'energy':
			return m.pulse_short_energy();
		case 'workload':
			return m.pulse_short_workload();
		case 'teamwork':
			return m.pulse_short_teamwork();
		case 'decisions':
			return m.pulse_short_decisions();
	}
}

/** What a colour means for a question: the words next to the icon. */
export function pulseChoice(question: PulseQuestion, colour: Colour): string {
	const choices: Record<PulseQuestion, Record<Colour, () => string>> = {
		energy: {
			green: m.pulse_q_energy_green,
			amber: m.pulse_q_energy_amber,
			red: m.pulse_q_energy_red
		},
		workload: {
			green: m.pulse_q_workload_green,
			amber: m.pulse_q_workload_amber,
			red: m.pulse_q_workload_red
		},
		teamwork: {
			green: m.pulse_q_teamwork_green,
			amber: m.pulse_q_teamwork_amber,
			red: m.pulse_q_teamwork_red
		},
		decisions: {
			green: m.pulse_q_decisions_green,
			amber: m.pulse_q_decisions_amber,
			red: m.pulse_q_decisions_red
		}
	};
	return choices[question][colour]();
}

/** The colour's name. */
export function pulseColourName(colour: Colour): string {
	switch (colour) {
		case 'green':
			return m.pulse_colour_green();
		case 'amber':
			return m.pulse_colour_amber();
		case 'red':
			return m.pulse_colour_red();
	}
}
