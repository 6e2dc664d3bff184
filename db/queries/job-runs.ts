import { and, between, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../client.js';
import { jobRuns } from '../schema.js';

/**
 * Claims a job's run for a period (a minute, a day's digest slot). Exactly one caller across all
 * replicas gets `true`; the row stays as the record that the run happened.
 */
export async function claimJobRun(
  db: DbOrTx,
  job: string,
  period: string,
  now: Date,
  details: Record<string, unknown> = {},
): Promise<boolean> {
  const inserted = await db
    .insert(jobRuns)
    .values({ job, period, startedAt: now, details })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  return inserted.length > 0;
}

export async function findJobRun(db: DbOrTx, job: string, period: string) {
  const [row] = await db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), eq(jobRuns.period, period)));
  return row;
}

/** Whether any run of a job started in [from, to]: e.g. whether some replica's minute sweep ran around a time. */
export async function jobRanBetween(db: DbOrTx, job: string, from: Date, to: Date): Promise<boolean> {
  const rows = await db
    .select({ job: jobRuns.job })
    .from(jobRuns)
    .where(and(eq(jobRuns.job, job), between(jobRuns.startedAt, from, to)))
    .limit(1);
  return rows.length > 0;
}

/** Frequent jobs (the minute sweep) leave a row a run; old ones carry no information. */
export async function pruneJobRuns(db: DbOrTx, job: string, before: Date): Promise<void> {
  await db.delete(jobRuns).where(and(eq(jobRuns.job, job), lt(jobRuns.startedAt, before)));
}
