/**
 * Structural changes a team makes to itself, by decision: admitting or removing a member, giving a coach access
 * or taking it back, splitting a team that grew past 12, changing one of its rules (team-rules.ts),
 * and creating, editing or retiring a role. A
 * decision may carry one; the server carries it out in the same transaction that adopts the
 * decision, and never before. Pure: what is asked, and whether it still makes sense.
 */
import type { Profession } from './profession';
import { isPastSplitPoint } from './team-size';
import { isValidRuleChange, type RuleChange } from './team-rules';
import { isValidRoleDraft, type RoleDraft } from './roles';

export type TeamChange =
	| { kind: 'remove-member'; memberId: string }
	/**
	 * An invitee who accepted, when the team's rule is that it consents to each arrival
	 * (team-rules.ts, `joining`): they join once adopted. Their name is kept for the record.
	 */
	| {
			kind: 'admit-member';
			userId: string;
			name: string;
			profession: Profession;
			contractMinutes: number;
	  }
	| { kind: 'grant-coach'; coachId: string }
	| { kind: 'revoke-coach'; coachId: string }
	/** Older records only: the swap notice is now a rule (`rule`, key `swapNotice`). */
	| { kind: 'swap-notice'; minutes: number }
	| { kind: 'rule'; rule: RuleChange }
	| { kind: 'role-create'; role: RoleDraft }
	| { kind: 'role-edit'; roleId: string; role: RoleDraft }
	| {
			kind: 'role-retire';
			roleId: string;
			/** Its name when proposed, for the record. */ name: string;
	  }
	| {
			kind: 'split';
			/** Name of the new team. */
			name: string;
			/** Members who go to the new team (the others stay). */
			memberIds: string[];
			/** Sectors whose clients go with them. */
			sectors: string[];
	  };

/** What the team is now, as far as a change needs to know. */
export interface TeamShape {
	memberIds: string[];
	coaches: { id: string; status: 'pending' | 'active' }[];
	sectors: string[];
	/** The team's roles in use (not retired). */
	roles: { id: string; name: string }[];
}

export type ChangeRefusal =
	| 'not-a-member'
	| 'already-member'
	| 'last-member'
	| 'not-a-pending-coach'
	| 'not-a-coach'
	| 'notice-out-of-range'
	| 'rule-out-of-range'
	| 'role-invalid'
	| 'no-such-role'
	| 'role-name-taken'
	| 'name-required'
	| 'nobody-moves'
	| 'nobody-stays'
	| 'unknown-sector'
	| 'not-past-split-point';

/** A swap may be taken up to this long before the visit: from none to two days. */
const SWAP_NOTICE_RANGE = { min: 0, max: 48 * 60 } as const;

/**
 * Whether a change can be carried out on the team as it is: checked when it is proposed and again
 * when the decision is adopted (the team may have changed in between).
 */
export function checkChange(change: TeamChange, team: TeamShape): ChangeRefusal | null {
	switch (change.kind) {
		case 'remove-member':
			if (!team.memberIds.includes(change.memberId)) return 'not-a-member';
			return team.memberIds.length <= 1 ? 'last-member' : null;
		case 'admit-member':
			return team.memberIds.includes(change.userId) ? 'already-member' : null;
		case 'grant-coach':
			return team.coaches.some((c) => c.id === change.coachId && c.status === 'pending')
				? null
				: 'not-a-pending-coach';
		case 'revoke-coach':
			return team.coaches.some((c) => c.id === change.coachId) ? null : 'not-a-coach';
		case 'swap-notice':
			return Number.isInteger(change.minutes) &&
				change.minutes >= SWAP_NOTICE_RANGE.min &&
				change.minutes <= SWAP_NOTICE_RANGE.max
				? null
				: 'notice-out-of-range';
		case 'rule':
			return isValidRuleChange(change.rule) ? null : 'rule-out-of-range';
		case 'role-create':
		case 'role-edit': {
			if (!isValidRoleDraft(change.role)) return 'role-invalid';
			const editing = change.kind === 'role-edit' ? change.roleId : null;
			if (editing !== null && !team.roles.some((r) => r.id === editing)) return 'no-such-role';
			const name = change.role.name.trim().toLocaleLowerCase('fr');
			return team.roles.some(
				(r) => r.id !== editing && r.name.trim().toLocaleLowerCase('fr') === name
			)
				? 'role-name-taken'
				: null;
		}
		case 'role-retire':
			return team.roles.some((r) => r.id === change.roleId) ? null : 'no-such-role';
		case 'split': {
			// Buurtzorg teams split once they grow past 12: below that, a team stays whole.
			if (!isPastSplitPoint(team.memberIds.length)) return 'not-past-split-point';
			if (change.name.trim() === '') return 'name-required';
			const moving = new Set(change.memberIds);
			if (moving.size === 0) return 'nobody-moves';
			if ([...moving].some((id) => !team.memberIds.includes(id))) return 'not-a-member';
			if (team.memberIds.every((id) => moving.has(id))) return 'nobody-stays';
			if (change.sectors.some((s) => !team.sectors.includes(s))) return 'unknown-sector';
			return null;
		}
	}
}
