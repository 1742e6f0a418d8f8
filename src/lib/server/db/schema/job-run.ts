import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** When a periodic job (the daily digest) last ran, so that it runs once a day across instances. */
export const jobRun = pgTable('job_run', {
	name: text().primaryKey(),
	lastRunAt: timestamp({ withTimezone: true }).notNull()
});
