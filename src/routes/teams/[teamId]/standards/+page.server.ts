import { memberTeam } from '$lib/server/auth/guard';
import { db } from '$lib/server/db';
import * as standards from '$lib/server/kaizen/standards';
import type { PageServerLoad } from './$types';

/** The team's library of care standards: each with its current version, or its first proposed. */
export const load: PageServerLoad = async ({ locals }) => {
	const { teamId, teamName } = memberTeam(locals);
	const list = await standards.list(db, teamId);
	return {
		team: { id: teamId, name: teamName },
		standards: list.map((s) => {
			const shown = s.current ?? s.versions[0]!;
			return {
				id: s.id,
				title: shown.content.title,
				appliesWhen: shown.content.appliesWhen,
				number: shown.number,
				current: s.current !== null,
				proposed: s.versions.some((v) => v.status === 'proposed')
			};
		})
	};
};
