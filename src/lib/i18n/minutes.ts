import {
	agendaOutcome,
	type MinuteAgendaItem,
	type MinuteDecision,
	type Minutes
} from '$lib/domain/meeting';
import { m } from '$lib/paraglide/messages';
import { stageLabel } from './decisions';
import { elision, formatDate } from './format';
import { roleName } from './roles';

type NameOf = (id: string | null) => string;

const OPEN_STAGES: ReadonlySet<string> = new Set(['round', 'questions', 'reactions']);

/** "Tenue le mar. 8 déc.", with the planned day when the meeting was held on another. */
export function heldLine(minutes: Minutes): string {
	const day = formatDate(minutes.heldOn);
	return minutes.plannedOn === undefined
		? m.minutes_held_on({ day })
		: m.minutes_held_on_planned({ day, planned: formatDate(minutes.plannedOn) });
}

/** A decision's stage in the minutes, "still open" added while its round carries on. */
export function decisionStage(d: MinuteDecision): string {
	return OPEN_STAGES.has(d.stage)
		? `${stageLabel(d.stage)} (${m.minutes_still_open()})`
		: stageLabel(d.stage);
}

/** Who consented, the concerns and objections, and the review day: a decision's lines. */
export function decisionLines(d: MinuteDecision, nameOf: NameOf): string[] {
	const names = (ids: string[]) => (ids.length === 0 ? '—' : ids.map(nameOf).join(', '));
	const said = (by: string) => ({ name: nameOf(by), ...elision(nameOf(by)) });
	return [
		...(d.consented.length > 0 || d.stage === 'adopted'
			? [m.minutes_consented({ names: names(d.consented) })]
			: []),
		...d.concerns.map((c) => m.minutes_concern({ ...said(c.by), reason: c.reason })),
		...d.objections.map((o) =>
			o.withdrawn
				? m.minutes_objection_withdrawn({ ...said(o.by), reason: o.reason })
				: m.minutes_objection({ ...said(o.by), reason: o.reason })
		),
		...d.integrated.map((o) => m.minutes_integrated({ ...said(o.by), reason: o.reason })),
		...(d.stage === 'adopted' ? [m.minutes_review({ day: formatDate(d.reviewDate) })] : [])
	];
}

/** What became of an agenda item, in words. */
export function outcomeText(item: MinuteAgendaItem, minutes: Minutes): string {
	const outcome = agendaOutcome(item, minutes);
	switch (outcome.kind) {
		case 'proposal':
			return m.minutes_outcome_proposal({ stage: decisionStage(outcome.decision) });
		case 'reviewed':
			return m.minutes_outcome_reviewed();
		case 'done':
			return m.minutes_outcome_done();
		case 'not-reached':
			return m.minutes_outcome_not_reached();
	}
}

export function electedLine(e: Minutes['elections'][number], nameOf: NameOf): string {
	return m.minutes_elected({
		role: roleName({ name: e.roleName, templateKey: e.templateKey }),
		name: nameOf(e.electedId)
	});
}

/** Text typed by members, kept as text in Markdown: no heading, list, link or markup of its own. */
function plain(text: string): string {
	return text.replace(/([\\`*_[\]<>#|])/g, '\\$1').replace(/^(\s*)([-+]|\d+\.)(\s)/gm, '$1\\$2$3');
}

/** The minutes as a Markdown file, in the reader's language (the page's words). */
export function minutesMarkdown(input: {
	teamName: string;
	minutes: Minutes;
	nameOf: NameOf;
}): string {
	const { minutes, nameOf } = input;
	const names = (ids: string[]) => (ids.length === 0 ? '—' : ids.map(nameOf).join(', '));
	const lines: string[] = [
		`# ${plain(m.meeting_on({ day: formatDate(minutes.heldOn) }))}`,
		'',
		plain(m.minutes_team({ team: input.teamName })),
		'',
		plain(heldLine(minutes)),
		'',
		plain(m.minutes_present({ names: names(minutes.present) })),
		'',
		plain(
			m.minutes_roles({
				facilitator: nameOf(minutes.facilitatorId),
				noteTaker: nameOf(minutes.noteTakerId)
			})
		),
		''
	];
	if (minutes.agenda.length > 0) {
		lines.push(`## ${m.minutes_agenda()}`, '');
		for (const item of minutes.agenda)
			lines.push(
				`- ${plain(m.minutes_outcome({ title: item.title, outcome: outcomeText(item, minutes) }))}`
			);
		lines.push('');
	}
	lines.push(`## ${m.minutes_decisions()}`, '');
	if (minutes.decisions.length === 0) lines.push(plain(m.minutes_none()), '');
	for (const d of minutes.decisions) {
		lines.push(`### ${plain(d.title)} · ${plain(decisionStage(d))}`, '');
		lines.push(...d.text.split('\n').map((l) => `> ${plain(l)}`), '');
		for (const line of decisionLines(d, nameOf)) lines.push(`- ${plain(line)}`);
		lines.push('');
	}
	if (minutes.elections.length > 0) {
		lines.push(`## ${m.minutes_elections()}`, '');
		for (const e of minutes.elections) lines.push(`- ${plain(electedLine(e, nameOf))}`);
		lines.push('');
	}
	if (minutes.coachCalls.length > 0) {
		lines.push(`## ${m.minutes_coach_calls()}`, '');
		for (const note of minutes.coachCalls) lines.push(`- ${plain(note)}`);
		lines.push('');
	}
	if (minutes.notes.trim() !== '')
		lines.push(`## ${m.minutes_notes()}`, '', plain(minutes.notes), '');
	return lines.join('\n');
}
