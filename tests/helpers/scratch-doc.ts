/**
 * A fresh live document of a team for engine tests that care about documents, not their kind: the
 * n-th rota week from 2100 on. (Meeting documents open only for meetings planned in the team.)
 */
export function scratchDocName(teamId: string, n: number): string {
	const year = 2100 + Math.floor(n / 52);
	const week = (n % 52) + 1;
	return `team/${teamId}/rota/${year}-W${String(week).padStart(2, '0')}`;
}
