/** Buurtzorg's split point: past this many members a team should consider splitting. */
export const TEAM_SPLIT_POINT = 12;

export function isPastSplitPoint(memberCount: number): boolean {
	return memberCount > TEAM_SPLIT_POINT;
}
