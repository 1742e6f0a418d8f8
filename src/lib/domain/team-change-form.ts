import { z } from 'zod';
import { LIMITS } from './forms';
import type { ChangeRefusal, TeamChange } from './team-change';

/**
 * The team page's "change the team" form: what kind of change, about whom, and why (the team's
 * rules change from "Nos règles", its roles from the roles page). A split's
 * name, movers and sectors may come empty here: checkChange says what is missing, in words.
 */
const schema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('remove-member'), memberId: z.string().min(1).max(64) }),
	z.object({ kind: z.literal('revoke-coach'), coachId: z.string().min(1).max(64) }),
	z.object({
		kind: z.literal('split'),
		name: z
			.string()
			.trim()
			.max(LIMITS.teamName)
			.refine((s) => ![...s].some((c) => c < ' ' || c === '\x7f')),
		memberIds: z.array(z.string().min(1).max(64)).max(200),
		sectors: z.array(z.string().min(1).max(200)).max(200)
	})
]);
const driver = z.string().trim().min(1).max(2000);

export type ParsedTeamChange =
	| { ok: true; change: TeamChange; driver: string }
	| { ok: false; reason: ChangeRefusal | 'invalid' | 'driver-required' };

export function parseTeamChange(form: FormData): ParsedTeamChange {
	const value = (name: string) => {
		const v = form.get(name);
		return typeof v === 'string' && v !== '' ? v : undefined;
	};
	const all = (name: string) => form.getAll(name).filter((v): v is string => typeof v === 'string');
	const kind = value('kind');
	const parsed = schema.safeParse({
		kind,
		memberId: value('memberId'),
		coachId: value('coachId'),
		name: value('name') ?? '',
		memberIds: [...new Set(all('memberIds'))],
		sectors: [...new Set(all('sectors'))]
	});
	if (!parsed.success) return { ok: false, reason: 'invalid' };
	const why = driver.safeParse(value('driver') ?? '');
	if (!why.success) return { ok: false, reason: 'driver-required' };
	const change: TeamChange = parsed.data;
	return { ok: true, change, driver: why.data };
}
