import { ID_SOURCE } from './ids';
import { formatWeek, parseWeek, WEEK_PATTERN } from './week';

/**
 * The live board's documents and who may open them: the contract of DESIGN.md's table.
 *
 * | document                          | members | coach |
 * | team/<teamId>/caseload            | write   | none  |  (client data: every open is traced)
 * | team/<teamId>/board               | write   | none  |  (the team's notes, no client data)
 * | team/<teamId>/kaizen              | write   | none  |  (improvement cards, see kaizen.ts)
 * | team/<teamId>/rota/<YYYY-Www>     | write   | none  |
 * | team/<teamId>/meeting/<meetingId> | write   | none  |
 * | team/<teamId>/governance          | read    | none  |  (written only by the server)
 */
export type DocumentName =
	| { kind: 'caseload'; teamId: string }
	| { kind: 'board'; teamId: string }
	| { kind: 'kaizen'; teamId: string }
	| { kind: 'governance'; teamId: string }
	| { kind: 'rota'; teamId: string; year: number; week: number }
	| { kind: 'meeting'; teamId: string; meetingId: string };

export type DocumentAccess = 'write' | 'read' | 'none';

/** What a person is to the team that owns the document. */
export type TeamRelation = 'member' | 'coach' | null;

const ID = ID_SOURCE;
const PATTERN = new RegExp(
	`^team/(${ID})/(?:(caseload)|(board)|(kaizen)|(governance)|rota/(${WEEK_PATTERN})|meeting/(${ID}))$`
);

/** Parses a document name against the strict grammar; null for anything else. */
export function parseDocumentName(name: string): DocumentName | null {
	if (name.length > 200) return null;
	const match = PATTERN.exec(name);
	if (match === null) return null;
	const [, teamId, caseload, board, kaizen, governance, week, meetingId] = match;
	if (teamId === undefined) return null;
	if (caseload !== undefined) return { kind: 'caseload', teamId };
	if (board !== undefined) return { kind: 'board', teamId };
	if (kaizen !== undefined) return { kind: 'kaizen', teamId };
	if (governance !== undefined) return { kind: 'governance', teamId };
	if (week !== undefined) {
		const parsed = parseWeek(week);
		if (parsed === null || parsed.year < 2000 || parsed.year > 2200) return null;
		return { kind: 'rota', teamId, ...parsed };
	}
	if (meetingId !== undefined) return { kind: 'meeting', teamId, meetingId };
	return null;
}

export function formatDocumentName(doc: DocumentName): string {
	switch (doc.kind) {
		case 'caseload':
		case 'board':
		case 'kaizen':
		case 'governance':
			return `team/${doc.teamId}/${doc.kind}`;
		case 'rota':
			return `team/${doc.teamId}/rota/${formatWeek(doc.year, doc.week)}`;
		case 'meeting':
			return `team/${doc.teamId}/meeting/${doc.meetingId}`;
	}
}

/** The one access rule for live documents. Coaches never open team documents: they hold client data. */
export function documentAccess(doc: DocumentName, relation: TeamRelation): DocumentAccess {
	if (relation !== 'member') return 'none';
	return doc.kind === 'governance' ? 'read' : 'write';
}
