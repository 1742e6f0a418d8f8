const MiB = 1024 * 1024;

/** What can be tuned in the engine; each has one default, in `DEFAULTS` below. */
export interface EngineSettings {
	/**
	 * How long an update waits for others before a commit starts (0: at once; what arrives during a
	 * commit goes together in the next one).
	 */
	commitWindowMs: number;
	/**
	 * How many group commits may run at once: while one waits on the database, the next starts on
	 * another connection instead of queueing behind it; past that, batches grow.
	 */
	commitsInFlight: number;
	/** First retry delay after a failed commit; doubles up to `commitMaxRetryMs`. */
	commitRetryMs: number;
	commitMaxRetryMs: number;
	/** How long a document nobody has open stays in memory before it is compacted and unloaded. */
	unloadGraceMs: number;
	/**
	 * Log rows a document holds before it may be compacted into its snapshot: it is once its log
	 * also weighs `compactLogShare` of its snapshot, or holds ten times this many rows (see
	 * `compactionDue`).
	 */
	compactThreshold: number;
	/**
	 * How much the log must weigh, as a share of the snapshot, before a compaction rewrites the
	 * snapshot: each byte logged is then written at most 1 + 1/share times in all.
	 */
	compactLogShare: number;
	/** Compactions running at once, whatever the number of documents wanting one. */
	compactionsAtOnce: number;
	/** Larger WebSocket messages close the connection with 1009 (ws accepts 100 MiB by default). */
	maxMessageBytes: number;
	/** Presence changes of a room go out together, once per this window. */
	presenceWindowMs: number;
	/**
	 * Messages a member may send a second (past a burst of twice as many), all connections
	 * together, before theirs wait until everyone else's are handled (see fair-lane.ts).
	 */
	fairMessagesPerSecond: number;
	/** Unsaved bytes held while the database is away before writers are refused (see pending-cap.ts). */
	maxPendingBytes: number;
	/** Updates unsaved for this long mark their documents unavailable, as a failed commit does. */
	storageStallMs: number;
	/** How often the storage status looks at the oldest unsaved update. */
	storageCheckEveryMs: number;
	/** Bytes queued to a client that does not read before it is dropped (the process is not). */
	maxBacklogBytes: number;
	/** How often open connections are checked for revoked access (with a `recheck`). */
	recheckEveryMs: number;
	/**
	 * An update taking more CPU time than this on a scratch document is refused. CPU time, not wall
	 * time: on a loaded machine a valid update can wait far longer than this for the processor.
	 */
	applyDeadlineMs: number;
	/** Presence shared with other instances per NOTIFY at most (base64 must stay under 8,000 bytes). */
	presenceNoteBytes: number;
	/** How long close() waits for clients to finish the closing handshake. */
	closeWaitMs: number;
}

export const DEFAULTS: EngineSettings = {
	commitWindowMs: 0,
	// By measurement with `npm run bench` (README, Performance).
	commitsInFlight: 4,
	commitRetryMs: 50,
	commitMaxRetryMs: 2_000,
	unloadGraceMs: 10_000,
	compactThreshold: 500,
	compactLogShare: 0.5,
	compactionsAtOnce: 2,
	maxMessageBytes: MiB,
	presenceWindowMs: 50,
	fairMessagesPerSecond: 50,
	maxPendingBytes: 64 * MiB,
	storageStallMs: 2_000,
	storageCheckEveryMs: 250,
	maxBacklogBytes: 8 * MiB,
	recheckEveryMs: 3_000,
	applyDeadlineMs: 250,
	presenceNoteBytes: 5_500,
	closeWaitMs: 2_000
};

/**
 * How the fair lane works through the messages that wait (see fair-lane.ts): in slices of this
 * many milliseconds between the event loop's turns; a connection with this many messages or bytes
 * waiting is no longer read until they are handled.
 */
export const FAIR_LANE = { sliceMs: 4, maxQueued: 64, maxQueuedBytes: MiB } as const;

/** The defaults, with the settings given (an `undefined` never hides a default). */
export function settingsFrom(given: Partial<EngineSettings>): EngineSettings {
	const set = Object.entries(given).filter(
		([key, value]) => value !== undefined && key in DEFAULTS
	);
	return { ...DEFAULTS, ...(Object.fromEntries(set) as Partial<EngineSettings>) };
}

/**
 * Whether a document's log is due to be folded into its snapshot. A compaction rewrites the whole
 * snapshot to drop the log rows, so it waits until the log weighs a share of it: a busy 400 KiB
 * document compacted every 500 rows of 70 bytes wrote its snapshot again for every 35 KiB logged
 * (three compactions a second under the long fuzz, a megabyte a second of snapshots for Postgres to
 * write). Ten times the row threshold compacts whatever the weights, so a load never replays more.
 */
export function compactionDue(
	log: { rows: number; bytes: number },
	snapshotBytes: number,
	settings: Pick<EngineSettings, 'compactThreshold' | 'compactLogShare'>
): boolean {
	if (log.rows < settings.compactThreshold) return false;
	return (
		log.rows >= settings.compactThreshold * 10 ||
		log.bytes >= snapshotBytes * settings.compactLogShare
	);
}
