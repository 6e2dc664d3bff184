/*
 * Background re-scoring: stored leads whose score is stale get the active version's score, breakdown and
 * verdict at `now`, in small batches (one short transaction each, so commands and ingestion are not held up).
 * Stale means scored by another version (after a criteria change) or due by `now` (`rescore_due_at`: decay
 * or an event leaving a window lowered the score since). It never opens a handoff, queues a post or changes
 * a stage: a lead that now qualifies is handed over on its next activity, by the ingestion path, and one
 * that decayed below the line keeps whatever handoff it has. Resumable: it picks whatever is stale, so a
 * restart or a second replica simply continues the work.
 */
import type { Database } from '../../db/client.js';
import { getActiveCriteria } from '../../db/queries/criteria.js';
import { findEventsOfLeads } from '../../db/queries/leads.js';
import { lockStaleLeads, storeRescoredLeads } from '../../db/queries/leads-rescore.js';
import type { Logger } from '../logger.js';
import { score } from '../scoring/score.js';
import { isDeadlock } from '../../db/deadlock.js';

export const RESCORE_BATCH = 500;
const DEADLOCK_RETRIES = 5;

interface RescoreDeps {
  database: Database;
  logger: Logger;
  now: () => Date;
}

/** Re-scores one batch after `afterId`; returns the last id done and how many, or null when none is left after it. */
async function rescoreBatch(
  database: Database,
  now: Date,
  afterId: number,
  batchSize: number,
): Promise<{ last: number; count: number } | null> {
  return database.db.transaction(async (tx) => {
    const criteria = await getActiveCriteria(tx);
    const rows = await lockStaleLeads(tx, criteria.version, now, afterId, batchSize);
    if (rows.length === 0) return null;
    const events = await findEventsOfLeads(
      tx,
      rows.map((r) => r.id),
    );
    const rescored = rows.map((row) => {
      const result = score(row, events.get(row.id) ?? [], criteria, now);
      return {
        id: row.id,
        score: result.total,
        breakdown: result.breakdown,
        qualified: result.qualified,
        criteriaVersion: criteria.version,
        rescoreDueAt: result.nextChangeAt,
      };
    });
    await storeRescoredLeads(tx, rescored, now);
    return { last: rows[rows.length - 1]!.id, count: rows.length };
  });
}

/**
 * Brings every stale stored lead up to date at `now`: the active criteria version, decay and event windows.
 * Returns how many leads it re-scored.
 */
export async function rescoreStoredLeads(deps: Pick<RescoreDeps, 'database'>, now: Date, batchSize = RESCORE_BATCH): Promise<number> {
  let afterId = 0;
  let done = 0;
  let retries = 0;
  for (;;) {
    let batch: { last: number; count: number } | null;
    try {
      batch = await rescoreBatch(deps.database, now, afterId, batchSize);
      retries = 0;
    } catch (error) {
      // An ingest locking the same leads in another order: Postgres aborts one of us; try the batch again.
      if (isDeadlock(error) && retries++ < DEADLOCK_RETRIES) continue;
      throw error;
    }
    if (batch === null) {
      // One more pass from the start catches leads left behind by a version made while this pass ran.
      if (afterId === 0) return done;
      afterId = 0;
      continue;
    }
    done += batch.count;
    afterId = batch.last;
  }
}

interface Running {
  promise: Promise<void>;
  again: boolean;
}
const running = new WeakMap<Database, Running>();

/**
 * Starts re-scoring in the background, at the time each round starts: after a criteria change, at start-up
 * and every hour (src/sla/schedule.ts). A request while a run is going makes that run go round once more
 * rather than start a second one in this process. Resolves when the run is over (it never rejects: a failed
 * run is logged and left for the next request to resume); callers need not wait.
 */
export function startRescoring(deps: RescoreDeps): Promise<void> {
  const current = running.get(deps.database);
  if (current) {
    current.again = true;
    return current.promise;
  }
  const state: Running = { promise: Promise.resolve(), again: false };
  state.promise = (async () => {
    do {
      state.again = false;
      const started = performance.now();
      try {
        const count = await rescoreStoredLeads(deps, deps.now());
        if (count > 0) deps.logger.info({ leads: count, ms: Math.round(performance.now() - started) }, 're-scored stale stored leads');
      } catch (error) {
        // Left for the next hourly run, change or restart to resume; the leads keep their previous scores meanwhile.
        deps.logger.error({ err: error }, 're-scoring stored leads failed');
      }
    } while (state.again);
    running.delete(deps.database);
  })();
  running.set(deps.database, state);
  return state.promise;
}

/** Resolves when no re-scoring runs in this process (tests; a clean shutdown). */
export async function rescoringIdle(database: Database): Promise<void> {
  for (let current = running.get(database); current; current = running.get(database)) await current.promise;
}
