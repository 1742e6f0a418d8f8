/**
 * The team board's document (schema version 1): the notes colleagues leave each other on the team
 * page. It holds no client data, so opening the team page copies no client card to the device; the
 * caseload document is opened (and traced) only by the pages that show clients.
 *
 * Document `team/<teamId>/board`:
 *   meta   Y.Map  { schemaVersion: 1 }
 *   notes     Y.Map  noteId → Y.Map { text: string; author: string (display name); at: ISO string }
 *   absences  Y.Map  absenceId → the members' absences (src/lib/domain/absences.ts)
 *   meta.absences = 'here' once the server moved the team's absences out of the caseload
 */
export const BOARD_SCHEMA_VERSION = 1;

export interface BoardNote {
	id: string;
	text: string;
	author: string;
	at: string;
}
