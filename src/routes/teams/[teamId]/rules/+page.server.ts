import { fail, redirect } from '@sveltejs/kit';
import { parseForm, proposalSchema } from '$lib/domain/forms';
import { defaultDeadline, RULE_KEYS } from '$lib/domain/team-rules';
import { isRuleKey, parseRuleForm, ruleFormValues } from '$lib/domain/team-rules-form';
import { localDateTimeToIso, todayIn } from '$lib/domain/time-zone';
import { ruleLabel } from '$lib/i18n/team-rules';
import { m } from '$lib/paraglide/messages';
import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as teamRules from '$lib/server/governance/rules';
import * as teamChanges from '$lib/server/governance/team-changes';
import { readForm } from '$lib/server/http/form';
import * as services from '$lib/server/services';
import * as teams from '$lib/server/teams/teams';
import type { Actions, PageServerLoad } from './$types';

/**
 * "Nos règles": every rule of the team with its value and the decision that set it; `?change=<rule>`
 * opens a proposal to change one, starting from its current value.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { teamId, teamName } = memberTeam(locals);
	const [derived, members, changes] = await Promise.all([
		teamRules.derived(db, teamId),
		teams.members(db, teamId),
		teamChanges.pending(db, teamId)
	]);
	const changeParam = url.searchParams.get('change');
	const changing = isRuleKey(changeParam) ? changeParam : null;
	return {
		team: { id: teamId, name: teamName },
		rules: RULE_KEYS.map((key) => ({ key, ...derived[key] })),
		changing:
			changing === null
				? null
				: {
						key: changing,
						values: ruleFormValues({ key: changing, value: derived[changing].value } as never),
						title: m.rules_change_heading({ rule: ruleLabel(changing) }).slice(0, 120)
					},
		deadline: defaultDeadline({ asyncDeadlineDays: derived.asyncDeadlineDays.value }, todayIn()),
		members: members.map((p) => ({ id: p.userId, name: p.name })),
		// Rule changes being decided.
		open: changes.open.filter((d) => d.kind === 'rule' || d.kind === 'swap-notice')
	};
};

export const actions: Actions = {
	/** A rule changes only by a decision: this proposes it, with the rule and its new value. */
	propose: async ({ locals, request }) => {
		const { teamId, userId } = memberTeam(locals);
		const form = await readForm(request);
		const parsed = parseForm(proposalSchema, form);
		const rule = parseRuleForm(form);
		if (!parsed.ok || !rule.ok)
			return fail(400, {
				errors: {
					...(parsed.ok ? {} : parsed.errors),
					...(rule.ok ? {} : { [rule.field]: 'invalid' as const })
				}
			});
		const { title, driver, text, reviewDate, mode, deadline } = parsed.data;
		const present = form.getAll('present').filter((v): v is string => typeof v === 'string');
		const result = await teamChanges.propose(db, services.decisionMirror(), {
			teamId,
			proposerId: userId,
			title,
			driver,
			text,
			reviewDate,
			mode,
			participants: mode === 'meeting' && present.length > 0 ? present : undefined,
			deadline: deadline === null ? null : localDateTimeToIso(deadline),
			change: { kind: 'rule', rule: rule.rule }
		});
		if (!result.ok) return fail(400, { errors: { value: 'invalid' as const } });
		redirect(303, `/teams/${teamId}/decisions/${result.decision.id}`);
	}
};
