/**
 * A client card's history, as read from the live board's change index (who touched which field of
 * the card, and when): grouped into lines a person reads ("Camille a modifié le projet de soins").
 */
export type HistoryTopic =
	| 'created'
	| 'identity'
	| 'status'
	| 'carer'
	| 'needs'
	| 'pattern'
	| 'carePlan'
	| 'transmissions'
	| 'contacts'
	| 'refusedCarers'
	| 'notes'
	| 'firstVisit'
	| 'omaha'
	| 'other';

export interface ChangeRow {
	userId: string | null;
	field: string;
	at: Date;
}

export interface HistoryLine {
	userId: string | null;
	topic: HistoryTopic;
	/** The latest change of the group. */
	at: Date;
	/** The first change of the group. */
	since: Date;
	changes: number;
}

const TOPIC_OF_FIELD: Record<string, HistoryTopic> = {
	name: 'identity',
	address: 'identity',
	sector: 'identity',
	status: 'status',
	statusSince: 'status',
	primaryCarerId: 'carer',
	needs: 'needs',
	visitPattern: 'pattern',
	carePlan: 'carePlan',
	transmissions: 'transmissions',
	contacts: 'contacts',
	refusedCarerIds: 'refusedCarers',
	notes: 'notes',
	firstVisit: 'firstVisit',
	omaha: 'omaha',
	createdAt: 'created'
};

/** The topic of a changed field path below the card (`''` is the card itself). */
export function topicOf(field: string): HistoryTopic {
	if (field === '') return 'created';
	return TOPIC_OF_FIELD[field.split('/')[0] ?? ''] ?? 'other';
}

/** Changes by one person on one topic within this time of each other read as one line. */
export const HISTORY_GROUP_MS = 15 * 60 * 1000;

/**
 * Latest first. Consecutive changes by the same person on the same topic, each within
 * HISTORY_GROUP_MS of the next, become one line; a card's creation hides the field writes that
 * came with it.
 */
export function groupHistory(rows: readonly ChangeRow[]): HistoryLine[] {
	const sorted = [...rows].sort((a, b) => b.at.getTime() - a.at.getTime());
	const lines: HistoryLine[] = [];
	for (const row of sorted) {
		const topic = topicOf(row.field);
		const last = lines.at(-1);
		if (
			last !== undefined &&
			last.userId === row.userId &&
			(last.topic === topic ||
				(last.topic === 'created' && last.since.getTime() - row.at.getTime() < 1000)) &&
			last.since.getTime() - row.at.getTime() <= HISTORY_GROUP_MS
		) {
			last.since = row.at;
			last.changes++;
			continue;
		}
		lines.push({ userId: row.userId, topic, at: row.at, since: row.at, changes: 1 });
	}
	return lines;
}
